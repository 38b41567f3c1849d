package dev.tollgate.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.accounts.internal.AccessTokens;
import dev.tollgate.accounts.internal.LoginThrottle;
import dev.tollgate.accounts.internal.PasswordHasher;
import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.LoginSessionEntity;
import dev.tollgate.accounts.store.RefreshTokenEntity;
import dev.tollgate.accounts.store.UserEntity;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Register, log in, refresh and log out. A login is a session with a chain of single-use refresh tokens; presenting
 * a used refresh token again is treated as theft and ends the whole session.
 */
@ApplicationScoped
public class Authentication {

    private static final Logger LOG = Logger.getLogger(Authentication.class);

    private final AccountStore store;
    private final PasswordHasher passwords;
    private final AccessTokens accessTokens;
    private final LoginThrottle throttle;
    private final AccountsConfig config;

    Authentication(AccountStore store, PasswordHasher passwords, AccessTokens accessTokens, LoginThrottle throttle,
            AccountsConfig config) {
        this.store = store;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.throttle = throttle;
        this.config = config;
    }

    /** A new account. Input is validated by the caller; uniqueness is checked here ({@code 409}). */
    public TokenPair register(String email, String username, String password, Role role) {
        String hash = passwords.hash(password);
        return Users.uniquely(() -> {
            UserEntity user = Users.newUser(email, username, hash, List.of(role.id()));
            Users.ensureUnique(store, user.id, user.email, user.usernameKey);
            store.persist(user);
            store.flush();
            LOG.infof("Registered user %s (%s)", user.id, role.id());
            return startSession(user, Instant.now());
        });
    }

    /** Logs in by username or e-mail. Unknown user and wrong password answer alike. */
    public TokenPair login(String login, String password, String clientAddress) {
        String key = login.trim().toLowerCase(Locale.ROOT);
        Instant now = Instant.now();
        record Attempt(Optional<UserEntity> user, String accountKey, long retryAfter) {
        }
        Attempt attempt = QuarkusTransaction.requiringNew().call(() -> {
            Optional<UserEntity> user = store.userByLogin(key);
            String accountKey = user.map(u -> "user:" + u.id).orElse("login:" + key);
            return new Attempt(user, accountKey, throttle.retryAfterSeconds(accountKey, clientAddress, now));
        });
        if (attempt.retryAfter() > 0) {
            throw ProblemException.tooManyRequests(
                    "Too many failed logins; try again in " + attempt.retryAfter() + " seconds.", attempt.retryAfter());
        }
        boolean matches = passwords.matches(password, attempt.user().map(u -> u.passwordHash).orElse(null));
        if (!matches) {
            QuarkusTransaction.requiringNew().run(() -> throttle.recordFailure(attempt.accountKey(), clientAddress,
                    now));
            throw ProblemException.unauthorized("Incorrect username or password.");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = store.user(attempt.user().get().id).orElseThrow(
                    () -> ProblemException.unauthorized("Incorrect username or password."));
            if (user.suspended) {
                throw ProblemException.forbidden("This account is suspended.");
            }
            throttle.recordSuccess(attempt.accountKey());
            return startSession(user, Instant.now());
        });
    }

    /** Exchanges a refresh token for a new pair; the presented token can never be used again. */
    public TokenPair refresh(String refreshToken) {
        Instant now = Instant.now();
        String hash = Secrets.sha256Hex(refreshToken);
        record Outcome(TokenPair pair, UUID reusedSession) {
        }
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            RefreshTokenEntity token = store.refreshTokenByHash(hash).orElseThrow(Authentication::invalidRefresh);
            if (!store.useRefreshToken(token.id, now)) {
                return new Outcome(null, token.sessionId);
            }
            LoginSessionEntity session = store.loginSession(token.sessionId).orElseThrow();
            UserEntity user = store.user(session.userId).orElseThrow();
            if (session.revokedAt != null || token.expiresAt.isBefore(now) || user.suspended) {
                throw invalidRefresh();
            }
            return new Outcome(issue(user, session.id, now), null);
        });
        if (outcome.reusedSession() != null) {
            // committed on its own: the refusal below must not roll the revocation back
            QuarkusTransaction.requiringNew().run(() -> store.revokeSession(outcome.reusedSession(),
                    "refresh_token_reuse", now));
            LOG.warnf("Refresh token reused: login session %s revoked", outcome.reusedSession());
            throw invalidRefresh();
        }
        return outcome.pair();
    }

    /** Ends the login: its refresh tokens and access tokens stop working. */
    public void logout(UUID sessionId) {
        QuarkusTransaction.requiringNew().run(() -> store.revokeSession(sessionId, "logout", Instant.now()));
    }

    /**
     * The user behind a verified access token, if its login is still active and the user not suspended. Checked on
     * every authenticated request, so logout and suspension take effect at once.
     */
    public Optional<UserView> activeUser(UUID userId, UUID sessionId) {
        return QuarkusTransaction.requiringNew().call(() -> store.loginSession(sessionId)
                .filter(s -> s.revokedAt == null && s.userId.equals(userId))
                .flatMap(s -> store.user(userId))
                .filter(u -> !u.suspended)
                .map(UserEntity::view));
    }

    /**
     * The user an access token presented outside an HTTP request speaks for (a WebSocket's first message): verified
     * like a bearer token, empty when it is not valid, expired, its login ended or its user suspended.
     */
    public Optional<UserView> userOfAccessToken(String accessToken) {
        AccessTokens.Claims claims;
        try {
            claims = accessTokens.verify(accessToken);
        } catch (AccessTokens.InvalidTokenException e) {
            return Optional.empty();
        }
        return activeUser(claims.userId(), claims.sessionId());
    }

    private TokenPair startSession(UserEntity user, Instant now) {
        LoginSessionEntity session = new LoginSessionEntity();
        session.id = UUID.randomUUID();
        session.userId = user.id;
        session.createdAt = now;
        store.persist(session);
        return issue(user, session.id, now);
    }

    private TokenPair issue(UserEntity user, UUID sessionId, Instant now) {
        String refresh = Secrets.generate("rt_");
        RefreshTokenEntity token = new RefreshTokenEntity();
        token.id = UUID.randomUUID();
        token.sessionId = sessionId;
        token.tokenHash = Secrets.sha256Hex(refresh);
        token.createdAt = now;
        token.expiresAt = now.plus(config.refreshTokenTtl());
        store.persist(token);
        String access = accessTokens.issue(user.id, user.username, user.roleList(), sessionId, now);
        return new TokenPair(access, refresh, "bearer", accessTokens.ttlSeconds(), user.view());
    }

    private static ProblemException invalidRefresh() {
        return ProblemException.unauthorized("The refresh token is invalid, expired or already used.");
    }
}
