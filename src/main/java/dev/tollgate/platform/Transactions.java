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
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConstraintViolationException) {
                    throw ProblemException.conflict(conflictDetail);
                }
            }
            throw e;
        }
    }
}
