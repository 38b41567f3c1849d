package dev.tollgate.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.finetuning.jobs.FineTuningJob;
import com.openai.models.finetuning.jobs.JobCreateParams;

import dev.tollgate.testing.FakeLlmServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official OpenAI Java SDK, pointed at {@link FakeOpenAi}, parses and validates everything it answers. */
class FakeOpenAiTest {

    private static final String KEY = "sk-fake-test-key";

    private FakeOpenAi fake;
    private OpenAIClient client;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAi(KEY);
        client = OpenAIOkHttpClient.builder().baseUrl(fake.v1Url()).apiKey(KEY).maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    private static ChatCompletionCreateParams.Builder hello() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addSystemMessage("Be brief.")
                .addUserMessage("Say hello");
    }

    private static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .build())
                        .build())
                .build();
    }

    @Nested
    class Chat {

        @Test
        void answers_the_scripted_text_with_usage_and_records_the_request() {
            fake.always(Reply.text("Hello there, friend.").tokens(21, 4).cached(16));

            ChatCompletion completion = client.chat().completions().create(hello().build()).validate();

            assertThat(completion.model()).isEqualTo("gpt-4o-mini");
            assertThat(completion.choices()).singleElement().satisfies(choice -> {
                assertThat(choice.message().content()).contains("Hello there, friend.");
                assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            });
            var usage = completion.usage().orElseThrow();
            assertThat(usage.promptTokens()).isEqualTo(21);
            assertThat(usage.completionTokens()).isEqualTo(4);
            assertThat(usage.totalTokens()).isEqualTo(25);
            assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(16L);
            assertThat(fake.calls()).isEqualTo(1);
            FakeLlmServer.Received request = fake.last();
            assertThat(request.path()).isEqualTo("/v1/chat/completions");
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(request.body().path("messages").get(1).path("content").asText()).isEqualTo("Say hello");
        }

        @Test
        void answers_a_scripted_tool_call() {
            fake.always(Reply.toolCall("call_abc123", "get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}"));

            ChatCompletion completion = client.chat().completions().create(hello().addTool(weatherTool()).build())
                    .validate();

            ChatCompletion.Choice choice = completion.choices().get(0);
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
            assertThat(choice.message().content()).isEmpty();
            ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0)
                    .asFunction();
            assertThat(call.id()).isEqualTo("call_abc123");
            assertThat(call.function().name()).isEqualTo("get_weather");
            assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\",\"unit\":\"c\"}");
            assertThat(fake.last().body().path("tools").get(0).path("function").path("name").asText())
                    .isEqualTo("get_weather");
        }

        @Test
        void streams_content_pieces_then_finish_reason_then_usage() {
            fake.always(Reply.text("One two three four").tokens(9, 4).cached(2));
            ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
            List<ChatCompletionChunk> chunks = new ArrayList<>();

            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(hello()
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
                stream.stream().forEach(chunk -> chunks.add(accumulator.accumulate(chunk.validate())));
            }

            // role, four pieces, finish_reason, usage
            assertThat(chunks).hasSize(7);
            assertThat(chunks.get(1).choices().get(0).delta().content()).contains("One");
            assertThat(chunks.get(2).choices().get(0).delta().content()).contains(" two");
            assertThat(chunks.get(6).choices()).isEmpty();
            ChatCompletion completion = accumulator.chatCompletion().validate();
            assertThat(completion.choices().get(0).message().content()).contains("One two three four");
            assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(9);
            assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
            assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens())
                    .contains(2L);
        }

        @Test
        void streams_without_a_usage_chunk_unless_asked() {
            fake.always(Reply.text("Hi you"));
            List<ChatCompletionChunk> chunks = new ArrayList<>();

            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(hello().build())) {
                stream.stream().forEach(chunks::add);
            }

            assertThat(chunks).hasSize(4).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
            assertThat(chunks.get(3).choices().get(0).finishReason())
                    .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        }

        @Test
        void streams_a_tool_call_as_incremental_argument_deltas() {
            String arguments = "{\"city\":\"Paris\",\"days\":3}";
            fake.always(Reply.toolCall("call_xyz", "get_weather", arguments).tokens(30, 12));
            ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
            List<String> fragments = new ArrayList<>();

            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(hello().addTool(weatherTool())
                            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                            .build())) {
                stream.stream().forEach(chunk -> {
                    accumulator.accumulate(chunk.validate());
                    chunk.choices().stream().flatMap(c -> c.delta().toolCalls().stream().flatMap(List::stream))
                            .flatMap(call -> call.function().flatMap(f -> f.arguments()).stream())
                            .filter(a -> !a.isEmpty()).forEach(fragments::add);
                });
            }

            assertThat(fragments).hasSizeGreaterThan(1);
            assertThat(String.join("", fragments)).isEqualTo(arguments);
            ChatCompletion completion = accumulator.chatCompletion().validate();
            ChatCompletion.Choice choice = completion.choices().get(0);
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
            ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0)
                    .asFunction();
            assertThat(call.id()).isEqualTo("call_xyz");
            assertThat(call.function().name()).isEqualTo("get_weather");
            assertThat(call.function().arguments()).isEqualTo(arguments);
            assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(12);
        }

        @Test
        void frames_the_stream_as_server_sent_events_ending_with_done() throws Exception {
            fake.always(Reply.text("Hi there"));
            HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(fake.v1Url() + "/chat/completions"))
                            .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                                    + "\"stream_options\":{\"include_usage\":true},"
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());

            assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
            List<String> lines = response.body().toList();
            List<String> data = lines.stream().filter(l -> !l.isEmpty()).toList();
            assertThat(data).allSatisfy(line -> assertThat(line).startsWith("data: "));
            assertThat(lines.stream().filter(String::isEmpty).count()).isEqualTo(data.size());
            assertThat(data.get(data.size() - 1)).isEqualTo("data: [DONE]");
            JsonNode usageChunk = new ObjectMapper().readTree(data.get(data.size() - 2).substring("data: ".length()));
            assertThat(usageChunk.path("choices").size()).isZero();
            assertThat(usageChunk.path("usage").path("total_tokens").asLong()).isEqualTo(15);
            JsonNode firstChunk = new ObjectMapper().readTree(data.get(0).substring("data: ".length()));
            assertThat(firstChunk.path("usage").isNull()).isTrue();
        }
    }

    @Nested
    class Failures {

        @Test
        void a_wrong_key_is_an_unauthorized_exception_with_openai_error_fields() {
            OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(fake.v1Url()).apiKey("sk-wrong").maxRetries(0)
                    .build();

            assertThatThrownBy(() -> wrong.chat().completions().create(hello().build()))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(401);
                        assertThat(e.code()).contains("invalid_api_key");
                        assertThat(e.type()).contains("invalid_request_error");
                        assertThat(e.body().toString()).doesNotContain("sk-wrong");
                    });
            wrong.close();
        }

        @Test
        void an_unknown_model_is_not_found() {
            assertThatThrownBy(() -> client.chat().completions().create(hello().model("gpt-nope").build()))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.code()).contains("model_not_found"));
        }

        @Test
        void scripted_statuses_map_to_the_sdk_exceptions() {
            fake.next(Reply.failing(429));
            fake.next(Reply.failing(500));
            fake.next(Reply.failing(503, "server_error", "The engine is currently overloaded"));

            assertThatThrownBy(() -> client.chat().completions().create(hello().build()))
                    .isInstanceOfSatisfying(RateLimitException.class,
                            e -> assertThat(e.code()).contains("rate_limit_exceeded"));
            assertThatThrownBy(() -> client.chat().completions().create(hello().build()))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.type()).contains("server_error");
                    });
            assertThatThrownBy(() -> client.chat().completions().create(hello().build()))
                    .isInstanceOfSatisfying(OpenAIServiceException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(503));
            // the queue is used up: the default answer again
            assertThat(client.chat().completions().create(hello().build()).choices()).hasSize(1);
            assertThat(fake.calls()).isEqualTo(4);
        }

        @Test
        void the_sdk_retries_a_server_error_and_the_fake_counts_each_attempt() {
            OpenAIClient retrying = OpenAIOkHttpClient.builder().baseUrl(fake.v1Url()).apiKey(KEY).maxRetries(1)
                    .build();
            fake.next(Reply.failing(500));
            fake.always(Reply.text("second time lucky"));

            ChatCompletion completion = retrying.chat().completions().create(hello().build());

            assertThat(completion.choices().get(0).message().content()).contains("second time lucky");
            assertThat(fake.calls()).isEqualTo(2);
            retrying.close();
        }

        @Test
        void a_connection_closed_mid_stream_fails_the_stream_after_the_events_sent() {
            fake.always(Reply.closingAfter(2, "one two three four"));
            List<ChatCompletionChunk> chunks = new ArrayList<>();

            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(hello().build())) {
                assertThatThrownBy(() -> stream.stream().forEach(chunks::add)).isInstanceOf(RuntimeException.class);
            }
            assertThat(chunks).hasSize(2);
        }

        @Test
        void a_hanging_call_times_out_in_the_client() {
            fake.always(Reply.hanging());
            OpenAIClient impatient = OpenAIOkHttpClient.builder().baseUrl(fake.v1Url()).apiKey(KEY).maxRetries(0)
                    .timeout(Duration.ofMillis(300)).build();

            assertThatThrownBy(() -> impatient.chat().completions().create(hello().build()))
                    .isInstanceOf(RuntimeException.class).isNotInstanceOf(OpenAIServiceException.class);
            assertThat(fake.calls()).isEqualTo(1);
            impatient.close();
        }

        @Test
        void a_paused_stream_has_already_delivered_its_first_events() throws Exception {
            fake.always(Reply.text("alpha beta gamma"));
            fake.pauseAfter(2);

            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(hello().build())) {
                Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
                assertThat(chunks.next().choices().get(0).delta().role()).isPresent();
                assertThat(chunks.next().choices().get(0).delta().content()).contains("alpha");
                assertThat(fake.awaitPaused()).isTrue();
                fake.resume();
                assertThat(chunks.next().choices().get(0).delta().content()).contains(" beta");
            }
        }
    }

    @Nested
    class Embeddings {

        @Test
        void returns_the_deterministic_vector_in_the_sdks_default_base64_encoding() {
            fake.always(Reply.text("").tokens(3, 0));

            CreateEmbeddingResponse response = client.embeddings()
                    .create(EmbeddingCreateParams.builder().model("text-embedding-3-small").input("hello world")
                            .dimensions(16).build())
                    .validate();

            assertThat(fake.last().body().path("encoding_format").asText()).isEqualTo("base64");
            assertThat(response.data()).singleElement()
                    .satisfies(e -> assertThat(e.embedding()).containsExactly(boxed(FakeOpenAi.embedding("hello world",
                            16))));
            assertThat(response.usage().promptTokens()).isEqualTo(3);
            assertThat(response.usage().totalTokens()).isEqualTo(3);
        }

        @Test
        void returns_float_vectors_for_several_inputs() {
            CreateEmbeddingResponse response = client.embeddings()
                    .create(EmbeddingCreateParams.builder().model("text-embedding-3-small")
                            .inputOfArrayOfStrings(List.of("a", "b"))
                            .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build())
                    .validate();

            assertThat(response.data()).hasSize(2);
            assertThat(response.data().get(1).index()).isEqualTo(1);
            assertThat(response.data().get(1).embedding()).containsExactly(boxed(FakeOpenAi.embedding("b", 8)));
        }

        private static Float[] boxed(float[] values) {
            Float[] boxed = new Float[values.length];
            for (int i = 0; i < values.length; i++) {
                boxed[i] = values[i];
            }
            return boxed;
        }
    }

    @Test
    void lists_the_configured_models() {
        assertThat(client.models().list().data()).extracting(m -> m.validate().id())
                .containsExactly("gpt-4o-mini", "gpt-4o", "text-embedding-3-small");
    }

    @Nested
    class FineTuning {

        @Test
        void a_job_moves_from_validating_files_through_running_to_succeeded_as_it_is_read() {
            FineTuningJob created = client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-4o-mini")
                    .trainingFile("file-abc123").suffix("support").build()).validate();
            assertThat(created.id()).startsWith("ftjob-");
            assertThat(created.status()).isEqualTo(FineTuningJob.Status.VALIDATING_FILES);
            assertThat(created.fineTunedModel()).isEmpty();
            assertThat(created.trainingFile()).isEqualTo("file-abc123");

            assertThat(client.fineTuning().jobs().retrieve(created.id()).validate().status())
                    .isEqualTo(FineTuningJob.Status.RUNNING);
            FineTuningJob done = client.fineTuning().jobs().retrieve(created.id()).validate();
            assertThat(done.status()).isEqualTo(FineTuningJob.Status.SUCCEEDED);
            assertThat(done.fineTunedModel()).hasValueSatisfying(name -> assertThat(name)
                    .startsWith("ft:gpt-4o-mini:org-fake:support:"));
            assertThat(done.finishedAt()).isPresent();
        }

        @Test
        void an_invalid_training_file_fails_the_job_with_an_error() {
            String id = client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-4o-mini")
                    .trainingFile("file-invalid1").build()).id();
            FineTuningJob failed = client.fineTuning().jobs().retrieve(id).validate();
            assertThat(failed.status()).isEqualTo(FineTuningJob.Status.FAILED);
            assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo("invalid_training_file"));
        }

        @Test
        void an_unknown_model_or_job_is_404() {
            assertThatThrownBy(() -> client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-9")
                    .trainingFile("file-abc123").build())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> client.fineTuning().jobs().retrieve("ftjob-unknown"))
                    .isInstanceOf(NotFoundException.class);
        }
    }
}
