package dev.tollgate.accounts;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.accounts.internal.AccessTokens;
import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.WebSessionEntity;
import dev.tollgate.platform.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Portal sign-ins. Signing in (or up) is a login like the API's, with its login session; the browser gets a random
 * token for an {@code HttpOnly} cookie instead of the access and refresh tokens, and the page a CSRF token bound to
 * that sign-in. Only the token's SHA-256 is stored. Ending the login session (sign-out, logout elsewhere,
 * suspension) ends the sign-in.
 */
@ApplicationScoped
public class WebSessions {

    /** A new sign-in: {@link #token} goes into the cookie and is never stored. */
    public record Started(String token, String csrfToken, Instant expiresAt, UserView user) {
    }

    /** A valid sign-in presented by a cookie. */
    public record Active(UserView user, UUID loginSessionId, String csrfToken) {
    }

    private final Authentication authentication;
    private final AccessTokens accessTokens;
    private final AccountStore store;
    private final AccountsConfig config;
    private final Clock clock;

    WebSessions(Authentication authentication, AccessTokens accessTokens, AccountStore store, AccountsConfig config,
            Clock clock) {
        this.authentication = authentication;
        this.accessTokens = accessTokens;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /** Signs in by username or e-mail, with the API login's throttle and refusals ({@code 401/403/429}). */
    public Started signIn(String login, String password, String clientAddress) {
        return start(authentication.login(login, password, clientAddress));
    }

    /** Registers a new account and signs it in ({@code 409} when the e-mail or username is taken). */
    public Started signUp(String email, String username, String password, Role role) {
        return start(authentication.register(email, username, password, role));
    }

    /** The sign-in behind a cookie's token, if it has not expired, its login is active and its user not suspended. */
    public Optional<Active> active(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<WebSessionEntity> session = QuarkusTransaction.requiringNew()
                .call(() -> store.webSession(Secrets.sha256Hex(token)))
                .filter(s -> s.expiresAt.isAfter(now));
        return session.flatMap(s -> authentication.activeUser(s.userId, s.loginSessionId)
                .map(user -> new Active(user, s.loginSessionId, s.csrfToken)));
    }

    /** Ends the sign-in and its login session; unknown tokens are ignored. */
    public void signOut(String token) {
        if (token == null || token.isBlank()) {
            return;
        }
        String hash = Secrets.sha256Hex(token);
        Optional<WebSessionEntity> session = QuarkusTransaction.requiringNew().call(() -> {
            Optional<WebSessionEntity> found = store.webSession(hash);
            found.ifPresent(s -> store.deleteWebSession(hash));
            return found;
        });
        session.ifPresent(s -> authentication.logout(s.loginSessionId));
    }

    private Started start(TokenPair pair) {
        UUID loginSession = accessTokens.verify(pair.accessToken()).sessionId();
        String token = Secrets.generate("tgs_");
        Instant now = clock.instant();
        WebSessionEntity session = new WebSessionEntity();
        session.tokenHash = Secrets.sha256Hex(token);
        session.loginSessionId = loginSession;
        session.userId = pair.user().id();
        session.csrfToken = Secrets.generate("");
        session.createdAt = now;
        session.expiresAt = now.plus(config.webSessionTtl());
        QuarkusTransaction.requiringNew().run(() -> {
            store.deleteExpiredWebSessions(now); // expired sign-ins are swept as new ones start
            store.persist(session);
        });
        return new Started(token, session.csrfToken, session.expiresAt, pair.user());
    }
}
