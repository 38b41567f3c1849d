package dev.tollgate.accounts.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokensTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path otherDataDir;

    private AccessTokens tokens(Path dir, Duration ttl) {
        return new AccessTokens(new SigningKeys(TestConfigs.jwt(null), dir.toString()), TestConfigs.accounts(ttl));
    }

    @Test
    void verifies_what_it_issued() {
        AccessTokens tokens = tokens(dataDir, Duration.ofMinutes(15));
        UUID user = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        String jwt = tokens.issue(user, "alice", List.of("consumer"), session, Instant.now());
        AccessTokens.Claims claims = tokens.verify(jwt);
        assertThat(claims.userId()).isEqualTo(user);
        assertThat(claims.sessionId()).isEqualTo(session);
    }

    @Test
    void refuses_an_expired_token() {
        AccessTokens tokens = tokens(dataDir, Duration.ofMinutes(15));
        String jwt = tokens.issue(UUID.randomUUID(), "alice", List.of("consumer"), UUID.randomUUID(),
                Instant.now().minus(Duration.ofHours(1)));
        assertThatThrownBy(() -> tokens.verify(jwt)).isInstanceOf(AccessTokens.InvalidTokenException.class);
    }

    @Test
    void refuses_a_token_of_another_key() {
        String foreign = tokens(otherDataDir, Duration.ofMinutes(15)).issue(UUID.randomUUID(), "mallory",
                List.of("admin"), UUID.randomUUID(), Instant.now());
        AccessTokens tokens = tokens(dataDir, Duration.ofMinutes(15));
        assertThatThrownBy(() -> tokens.verify(foreign)).isInstanceOf(AccessTokens.InvalidTokenException.class);
    }

    @Test
    void refuses_a_tampered_payload() {
        AccessTokens tokens = tokens(dataDir, Duration.ofMinutes(15));
        String jwt = tokens.issue(UUID.randomUUID(), "alice", List.of("consumer"), UUID.randomUUID(), Instant.now());
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("consumer", "admin");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
        assertThatThrownBy(() -> tokens.verify(tampered)).isInstanceOf(AccessTokens.InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verify("garbage")).isInstanceOf(AccessTokens.InvalidTokenException.class);
    }
}
