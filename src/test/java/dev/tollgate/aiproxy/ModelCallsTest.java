package dev.tollgate.aiproxy;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.tollgate.aiproxy.ModelCalls.Completion;
import dev.tollgate.aiproxy.ModelCalls.Failure;
import dev.tollgate.aiproxy.ModelCalls.Message;
import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.LedgerInvariants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * In-process model calls ({@link ModelCalls}) against the fake vendors: the answer and its tokens, one charge at the
 * model's price (3 micros per input token, 15 per output token, see {@link AiFixtures}), refusal without a charge when
 * the credit is short, failover between channels, and real streams of both vendors.
 */
@QuarkusTest
class ModelCallsTest {

    private static final List<Message> CONVERSATION = List.of(Message.system("You are terse."),
            Message.user("Say hello"), Message.assistant("Hello."), Message.user("Again, please"));

    @Inject
    ModelCalls calls;

    @Inject
    AgroalDataSource database;

    FakeOpenAi openAi;
    FakeAnthropic anthropic;

    @BeforeEach
    void start() throws IOException {
        openAi = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini");
        anthropic = new FakeAnthropic(AiFixtures.UPSTREAM_KEY_ANTHROPIC, "claude-haiku-4-5");
    }

    @AfterEach
    void stop() {
        openAi.close();
        anthropic.close();
    }

    private static UUID id(AiFixtures.Consumer consumer) {
        return UUID.fromString(consumer.user().id());
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    @Nested
    class Whole_answers {

        @Test
        void openai_answer_text_and_tokens_are_returned_and_charged_once_at_the_model_price() throws Exception {
            openAi.always(Reply.text("Hello again.").tokens(20, 5));
            String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");

            Completion done = await(calls.complete(id(consumer), model, CONVERSATION, 50));

            assertThat(done.text()).isEqualTo("Hello again.");
            assertThat(done.inputTokens()).isEqualTo(20);
            assertThat(done.outputTokens()).isEqualTo(5);
            assertThat(done.costMicros()).isEqualTo(20 * 3 + 5 * 15);
            assertThat(done.model()).isEqualTo(model);
            FakeOpenAi.Received sent = openAi.last();
            assertThat(sent.header("Authorization")).isEqualTo("Bearer " + AiFixtures.UPSTREAM_KEY_OPENAI);
            assertThat(sent.body().path("model").asText()).isEqualTo("gpt-4o-mini");
            assertThat(sent.body().path("max_completion_tokens").asInt()).isEqualTo(50);
            assertThat(sent.body().path("messages")).hasSize(4);
            assertThat(sent.body().path("messages").get(0).path("role").asText()).isEqualTo("system");
            assertThat(sent.body().path("messages").get(3).path("content").asText()).isEqualTo("Again, please");

            ChargeLines charged = ChargeLines.await(consumer.user(), 1);
            assertThat(charged.calls()).isEqualTo(1);
            assertThat(charged.amount()).isEqualByComparingTo("-0.000135");
            assertThat(consumer.balance()).isEqualByComparingTo("0.999865");
            Thread.sleep(300); // a second charge would be written by now
            assertThat(ChargeLines.of(consumer.user()).calls()).isEqualTo(1);
            LedgerInvariants.check(database);
        }

        @Test
        void anthropic_answer_is_read_through_the_messages_protocol() throws Exception {
            anthropic.always(Reply.text("Bonjour.").tokens(30, 4));
            String model = AiFixtures.model("claude", AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 0));
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");

            Completion done = await(calls.complete(id(consumer), model, CONVERSATION, 64));

            assertThat(done.text()).isEqualTo("Bonjour.");
            assertThat(done.inputTokens()).isEqualTo(30);
            assertThat(done.outputTokens()).isEqualTo(4);
            assertThat(done.costMicros()).isEqualTo(30 * 3 + 4 * 15);
            FakeAnthropic.Received sent = anthropic.last();
            assertThat(sent.path()).isEqualTo("/v1/messages");
            assertThat(sent.header("x-api-key")).isEqualTo(AiFixtures.UPSTREAM_KEY_ANTHROPIC);
            assertThat(sent.body().path("system").toString()).contains("You are terse.");
            assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(64);
            assertThat(sent.body().path("messages")).hasSize(3);
            assertThat(ChargeLines.await(consumer.user(), 1).amount()).isEqualByComparingTo("-0.00015");
        }

        @Test
        void a_scripted_reply_function_answers_from_the_request() throws Exception {
            openAi.next(Reply.text("broken code"));
            openAi.replying(request -> Reply.text("you said: " + request.body().path("messages").get(0)
                    .path("content").asText()));
            String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");

            assertThat(await(calls.complete(id(consumer), model, List.of(Message.user("one")), 10)).text())
                    .isEqualTo("broken code");
            assertThat(await(calls.complete(id(consumer), model, List.of(Message.user("two")), 10)).text())
                    .isEqualTo("you said: two");
        }

        @Test
        void failing_first_channel_fails_over_to_the_second() throws Exception {
            openAi.always(Reply.failing(500));
            anthropic.always(Reply.text("From the second channel.").tokens(10, 5));
            String model = AiFixtures.model("mixed", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0),
                    AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 1));
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");

            Completion done = await(calls.complete(id(consumer), model, CONVERSATION, 20));

            assertThat(done.text()).isEqualTo("From the second channel.");
            assertThat(openAi.calls()).isEqualTo(1);
            assertThat(anthropic.calls()).isEqualTo(1);
            assertThat(ChargeLines.await(consumer.user(), 1).amount()).isEqualByComparingTo("-0.000105");
        }

        @Test
        void not_enough_credit_is_refused_before_any_channel_and_nothing_is_charged() throws Exception {
            String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
            // the worst case of 1,000 output tokens alone is 15,000 micros
            AiFixtures.Consumer consumer = AiFixtures.consumer("0.01");

            assertThatThrownBy(() -> await(calls.complete(id(consumer), model, CONVERSATION, 1000)))
                    .cause().isInstanceOfSatisfying(Failure.class, f -> {
                        assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_ENOUGH_CREDIT);
                        assertThat(f.status()).isEqualTo(402);
                        assertThat(f.neededMicros()).isGreaterThan(10_000);
                    });
            assertThat(openAi.calls()).isZero();
            assertThat(consumer.balance()).isEqualByComparingTo("0.01");
            assertThat(ChargeLines.of(consumer.user()).calls()).isZero();
        }

        @Test
        void a_call_every_channel_fails_is_not_charged_and_gives_the_reservation_back() throws Exception {
            openAi.always(Reply.failing(503));
            String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
            AiFixtures.Consumer consumer = AiFixtures.consumer("0.02");

            assertThatThrownBy(() -> await(calls.complete(id(consumer), model, CONVERSATION, 1000)))
                    .cause().isInstanceOfSatisfying(Failure.class,
                            f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UPSTREAM_FAILED));
            // the reservation (over 15,000 micros) is back: a call needing most of the credit fits again
            openAi.always(Reply.text("ok").tokens(1, 1));
            assertThat(await(calls.complete(id(consumer), model, CONVERSATION, 1000)).text()).isEqualTo("ok");
            assertThat(ChargeLines.await(consumer.user(), 1).amount()).isEqualByComparingTo("-0.000018");
        }

        @Test
        void an_unknown_model_is_a_clear_failure() {
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");
            assertThat(calls.exists("no-such-model")).isFalse();
            assertThatThrownBy(() -> await(calls.complete(id(consumer), "no-such-model", CONVERSATION, 10)))
                    .cause().isInstanceOfSatisfying(Failure.class, f -> {
                        assertThat(f.kind()).isEqualTo(Failure.Kind.UNKNOWN_MODEL);
                        assertThat(f).hasMessageContaining("no-such-model");
                    });
        }
    }

    @Nested
    class Streams {

        @Test
        void openai_deltas_arrive_in_order_and_the_final_usage_is_charged() throws Exception {
            openAi.always(Reply.text("One two three four").tokens(40, 7).eventDelay(Duration.ofMillis(5)));
            String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");
            List<String> deltas = new CopyOnWriteArrayList<>();

            Completion done = await(calls.stream(id(consumer), model, CONVERSATION, 100, deltas::add));

            assertThat(deltas).containsExactly("One", " two", " three", " four");
            assertThat(done.text()).isEqualTo("One two three four");
            assertThat(done.inputTokens()).isEqualTo(40);
            assertThat(done.outputTokens()).isEqualTo(7);
            assertThat(done.estimated()).isFalse();
            FakeOpenAi.Received sent = openAi.last();
            assertThat(sent.body().path("stream").asBoolean()).isTrue();
            assertThat(sent.body().path("stream_options").path("include_usage").asBoolean()).isTrue();
            assertThat(ChargeLines.await(consumer.user(), 1).amount())
                    .isEqualByComparingTo(new BigDecimal("-0.000225"));
        }

        @Test
        void anthropic_deltas_arrive_in_order_and_the_final_usage_is_charged() throws Exception {
            anthropic.always(Reply.text("Un deux trois").tokens(12, 3).cached(4));
            String model = AiFixtures.model("claude", AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 0));
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");
            List<String> deltas = new CopyOnWriteArrayList<>();

            Completion done = await(calls.stream(id(consumer), model, CONVERSATION, 100, deltas::add));

            assertThat(String.join("", deltas)).isEqualTo("Un deux trois");
            assertThat(deltas).hasSizeGreaterThan(1);
            assertThat(done.text()).isEqualTo("Un deux trois");
            // Anthropic's input excludes the 4 cache reads: 16 input (4 cached at 1 micro), 3 output
            assertThat(done.inputTokens()).isEqualTo(16);
            assertThat(done.outputTokens()).isEqualTo(3);
            assertThat(done.costMicros()).isEqualTo(12 * 3 + 4 + 3 * 15);
            assertThat(anthropic.last().body().path("stream").asBoolean()).isTrue();
            assertThat(ChargeLines.await(consumer.user(), 1).amount()).isEqualByComparingTo("-0.000085");
        }

        @Test
        void a_stream_fails_over_before_its_first_delta() throws Exception {
            openAi.always(Reply.failing(502));
            anthropic.always(Reply.text("Second channel streams").tokens(10, 3));
            String model = AiFixtures.model("mixed", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0),
                    AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 1));
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");
            List<String> deltas = new CopyOnWriteArrayList<>();

            Completion done = await(calls.stream(id(consumer), model, CONVERSATION, 100, deltas::add));

            assertThat(String.join("", deltas)).isEqualTo("Second channel streams");
            assertThat(done.text()).isEqualTo("Second channel streams");
            assertThat(openAi.calls()).isEqualTo(1);
            assertThat(ChargeLines.await(consumer.user(), 1).calls()).isEqualTo(1);
        }

        @Test
        void not_enough_credit_refuses_a_stream_without_a_delta() {
            String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
            AiFixtures.Consumer consumer = AiFixtures.consumer(null);
            List<String> deltas = new CopyOnWriteArrayList<>();

            assertThatThrownBy(() -> await(calls.stream(id(consumer), model, CONVERSATION, 100, deltas::add)))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .cause().isInstanceOfSatisfying(Failure.class,
                            f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_ENOUGH_CREDIT));
            assertThat(deltas).isEmpty();
            assertThat(openAi.calls()).isZero();
        }
    }
}
