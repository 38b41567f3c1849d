package dev.tollgate.billing;

import java.sql.SQLException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;

import dev.tollgate.testing.LedgerInvariants;
import dev.tollgate.testing.WithUpstream;
import io.agroal.api.AgroalDataSource;

/**
 * Billing tests: after each one the ledger's invariants must hold. Most call the gateway: a local upstream for the
 * class comes with it ({@link WithUpstream}).
 */
abstract class LedgerChecked extends WithUpstream {

    @Inject
    AgroalDataSource database;

    @AfterEach
    void invariantsHold() throws SQLException {
        LedgerInvariants.check(database);
    }
}
