package dev.tollgate.accounts;

import java.util.ArrayList;
import java.util.List;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/** Input rules shared by registration and profile edits, over the API and in the portal's forms. */
public final class AccountRules {

    public static final String EMAIL = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
    public static final String USERNAME = "[A-Za-z0-9_-]{3,32}";
    public static final String USERNAME_MESSAGE = "must be 3 to 32 characters of letters, digits, '_' or '-'";
    public static final String PASSWORD_MESSAGE = "must be 10 to 256 characters";

    private AccountRules() {
    }

    /** The same checks as the API's registration body: a {@code 422} naming each wrong field. */
    public static void checkRegistration(String email, String username, String password) {
        List<FieldError> errors = new ArrayList<>();
        if (email == null || email.isBlank() || email.length() > 254 || !email.matches(EMAIL)) {
            errors.add(new FieldError("email", "must be a valid e-mail address"));
        }
        if (username == null || !username.matches(USERNAME)) {
            errors.add(new FieldError("username", USERNAME_MESSAGE));
        }
        if (password == null || password.length() < 10 || password.length() > 256) {
            errors.add(new FieldError("password", PASSWORD_MESSAGE));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }
}
