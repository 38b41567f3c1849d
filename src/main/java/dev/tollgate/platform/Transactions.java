package dev.tollgate.platform;

import java.util.concurrent.Callable;

import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** Helpers for control-plane writes. */
public final class Transactions {

    private Transactions() {
    }

    /**
     * Runs a write in a new transaction and turns a unique-index violation (a concurrent duplicate that passed the
     * caller's own check) into a 409 with the given detail.
     */
    public static <T> T uniquely(Callable<T> write, String conflictDetail) {
        try {
            return QuarkusTransaction.requiringNew().call(write);
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw ProblemException.conflict(conflictDetail);
            }
            throw e;
        }
    }

    /** Whether the failure is a constraint violation (a concurrent duplicate), however deeply it is wrapped. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
