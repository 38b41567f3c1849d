package dev.tollgate.marketplace.web;

import java.math.BigDecimal;
import java.util.UUID;

import dev.tollgate.platform.ProblemException;

/**
 * Query parameters read as text and parsed here, so that a malformed one is a 422 naming it (a typed JAX-RS
 * parameter that does not parse is answered with a bare 404).
 */
final class QueryValues {

    private QueryValues() {
    }

    static int integer(String name, String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, "must be a whole number");
        }
    }

    static BigDecimal decimal(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, "must be a number");
        }
    }

    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(name, "must be a UUID");
        }
    }
}
