package dev.tollgate.billing;

import java.sql.SQLException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;

import dev.tollgate.testing.LedgerInvariants;
import io.agroal.api.AgroalDataSource;

/** Billing tests: after each one the ledger's invariants must hold. */
abstract class LedgerChecked {

    @Inject
    AgroalDataSource database;

    @AfterEach
    void invariantsHold() throws SQLException {
        LedgerInvariants.check(database);
    }
}
