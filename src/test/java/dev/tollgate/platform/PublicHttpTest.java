package dev.tollgate.platform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbound client of webhooks and OpenAPI imports against a real local server: short answers are read whole,
 * long ones cut or refused by the bound, and bad URLs refused before anything is sent. (A listener that attached the
 * body handlers one future too late once lost short answers under load in CI — the attempt timed out although the
 * receiver had answered; the many sequential calls here guard the reading path, though they rarely hit that timing.)
 */
@QuarkusTest
class PublicHttpTest {

    @Inject
    PublicHttp http;

    @Test
    void every_short_answer_is_read_whole_and_at_once() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            for (int i = 0; i < 300; i++) {
                PublicHttp.Answer answer = http.send(new PublicHttp.Request(HttpMethod.POST, receiver.url("/n" + i),
                        Map.of("Content-Type", "application/json"), "{\"n\":" + i + "}", Duration.ofSeconds(5), 500,
                        true), true).get(5, TimeUnit.SECONDS);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body().toString(StandardCharsets.UTF_8)).isEqualTo("{\"received\":true}");
                assertThat(receiver.next(Duration.ofSeconds(1)).body()).isEqualTo("{\"n\":" + i + "}");
            }
        }
    }

    @Test
    void bodies_over_the_bound_are_cut_or_refused_and_bad_urls_never_sent() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            PublicHttp.Answer cut = http.send(new PublicHttp.Request(HttpMethod.GET, receiver.url("/"), Map.of(),
                    null, Duration.ofSeconds(5), 5, true), true).get(5, TimeUnit.SECONDS);
            assertThat(cut.truncated()).isTrue();
            assertThat(cut.body().length()).isEqualTo(5);
            assertThatThrownBy(() -> http.send(new PublicHttp.Request(HttpMethod.GET, receiver.url("/"), Map.of(),
                    null, Duration.ofSeconds(5), 5, false), true).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PublicHttp.Failed.class).hasMessageContaining("larger than 5 bytes");
        }
        assertThatThrownBy(() -> http.target("ftp://example.com/", false)).isInstanceOf(PublicHttp.Refused.class);
        assertThatThrownBy(() -> http.target("http://10.0.0.1/", false)).isInstanceOf(PublicHttp.Refused.class)
                .hasMessage("points at an internal address");
    }
}
