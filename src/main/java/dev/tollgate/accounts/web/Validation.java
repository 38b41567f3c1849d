package dev.tollgate.accounts.web;

/** Input rules shared by registration and profile edits. */
final class Validation {

    static final String EMAIL = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
    static final String USERNAME = "[A-Za-z0-9_-]{3,32}";
    static final String USERNAME_MESSAGE = "must be 3 to 32 characters of letters, digits, '_' or '-'";
    static final String PASSWORD_MESSAGE = "must be 10 to 256 characters";

    private Validation() {
    }
}
