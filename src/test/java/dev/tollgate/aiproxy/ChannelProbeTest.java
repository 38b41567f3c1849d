package dev.tollgate.aiproxy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.gateway.Upstream;
import dev.tollgate.testing.FakeOpenAi;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SSRF rule for test calls and fine-tuning jobs: with private upstreams not allowed (the production default), a
 * channel whose host resolves inwards is refused at call time, whatever was checked when it was saved (a name can be
 * re-pointed), and nothing is sent.
 */
class ChannelProbeTest {

    private static final String KEY = "sk-probe-secret";

    private Vertx vertx;
    private FakeOpenAi fake;

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        fake = new FakeOpenAi(KEY);
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ChannelRequests requests(boolean allowPrivate) {
        return new ChannelRequests(vertx, config(), gateway(allowPrivate));
    }

    private ModelRoute.Channel channel(String baseUrl) {
        return new ModelRoute.Channel(UUID.randomUUID(), AiProvider.OPENAI, baseUrl, Upstream.parse(baseUrl), KEY,
                "gpt-4o-mini", 0, 1);
    }

    @Test
    void a_channel_on_an_internal_address_is_not_called_and_counts_as_a_failure() throws Exception {
        ChannelHealth health = new ChannelHealth(Clock.systemUTC(), config());
        ChannelProbe probe = new ChannelProbe(requests(false), health);
        for (String url : new String[]{fake.v1Url(), "http://localhost:" + fake.v1Url().split(":")[2]}) {
            ModelRoute.Channel channel = channel(url);
            ChannelProbe.Result result = probe.probe(channel, "Reply with OK.", false).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(result.ok()).isFalse();
            assertThat(result.status()).isNull();
            assertThat(result.error()).contains("internal address").contains("TOLLGATE_ALLOW_PRIVATE_UPSTREAMS");
            assertThat(health.view(channel.id()).failures()).isEqualTo(1);
        }
        assertThat(new FineTuningJobs(requests(false)).create(channel(fake.v1Url()), new JsonObject()
                .put("training_file", "file-abc")).toCompletableFuture()).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("internal address");
        assertThat(fake.calls()).isZero();
    }

    @Test
    void the_same_channel_is_called_when_private_upstreams_are_allowed() throws Exception {
        ChannelHealth health = new ChannelHealth(Clock.systemUTC(), config());
        ModelRoute.Channel channel = channel(fake.v1Url());
        ChannelProbe.Result result = new ChannelProbe(requests(true), health).probe(channel, "Hi", false)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(result.ok()).isTrue();
        assertThat(result.output()).isEqualTo("Hello from the fake model.");
        assertThat(health.view(channel.id()).calls()).isEqualTo(1);
        assertThat(fake.calls()).isEqualTo(1);
        assertThatThrownBy(() -> new FineTuningJobs(requests(true)).retrieve(channel, "ftjob-unknown")
                .toCompletableFuture().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(FineTuningJobs.Failure.class)
                .hasMessageContaining("HTTP 404");
    }

    private static AiConfig config() {
        return new AiConfig() {
            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration upstreamTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public MemorySize maxRequestBodySize() {
                return new MemorySize(java.math.BigInteger.valueOf(1 << 20));
            }

            @Override
            public int defaultMaxOutputTokens() {
                return 4096;
            }

            @Override
            public int breakerFailures() {
                return 5;
            }

            @Override
            public Duration breakerCoolDown() {
                return Duration.ofSeconds(30);
            }
        };
    }

    private static GatewayConfig gateway(boolean allowPrivate) {
        return new GatewayConfig() {
            @Override
            public boolean allowPrivateUpstreams() {
                return allowPrivate;
            }

            @Override
            public String tierHourlyLimits() {
                return "";
            }

            @Override
            public int maxConnectionsPerUpstream() {
                return 4;
            }

            @Override
            public MemorySize maxRequestBodySize() {
                return new MemorySize(java.math.BigInteger.valueOf(1 << 20));
            }

            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }
        };
    }
}
