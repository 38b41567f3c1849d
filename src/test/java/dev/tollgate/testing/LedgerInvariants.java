package dev.tollgate.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger's invariants, checked straight in the database: they must hold after any test. */
public final class LedgerInvariants {

    private LedgerInvariants() {
    }

    public static void check(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "select currency, sum(amount) from ledger_entries group by currency having sum(amount) <> 0")) {
                assertThat(rs.next()).as("entries of some currency do not sum to zero").isFalse();
            }
            try (ResultSet rs = statement.executeQuery("select transaction_id, sum(amount) from ledger_entries"
                    + " group by transaction_id having sum(amount) <> 0")) {
                assertThat(rs.next()).as("a transaction's entries do not sum to zero").isFalse();
            }
            try (ResultSet rs = statement.executeQuery("select a.id, a.balance, coalesce(sum(e.amount), 0)"
                    + " from ledger_accounts a left join ledger_entries e on e.account_id = a.id"
                    + " group by a.id, a.balance having a.balance <> coalesce(sum(e.amount), 0)")) {
                assertThat(rs.next()).as("an account's balance differs from the sum of its entries").isFalse();
            }
            try (ResultSet rs = statement.executeQuery("select id from ledger_accounts where kind in"
                    + " ('consumer_wallet', 'provider_earnings') and balance - reserved < 0")) {
                assertThat(rs.next()).as("a wallet or earnings account is below zero").isFalse();
            }
        }
    }
}
