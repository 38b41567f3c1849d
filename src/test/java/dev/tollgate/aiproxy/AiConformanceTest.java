package dev.tollgate.aiproxy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance transcripts: for each direction (OpenAI or Anthropic format in, OpenAI or Anthropic vendor behind) and
 * each scenario (a conversation with a system prompt, an image, stop sequences and cached tokens; tools with a
 * tool result in the history and a tool call in the answer; both streamed), one call goes through the proxy and what
 * the client sent, what the vendor received, and what the client got back are written as a transcript and compared
 * with the one recorded under {@code src/test/resources/ai-conformance/}. Ids and timestamps are normalised. After a
 * deliberate change of the translation, run with {@code -Dai.conformance.record=true} to record them again, and review
 * the diff.
 */
@QuarkusTest
class AiConformanceTest {

    private static final Path RECORDED = Path.of("src/test/resources/ai-conformance");
    private static final boolean RECORD = Boolean.getBoolean("ai.conformance.record");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    /** A 1×1 PNG. */
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private static final List<Pattern> VOLATILE = List.of(
            Pattern.compile("(?<![A-Za-z_])(chatcmpl-|msg_|toolu_|call_)[A-Za-z0-9_-]+"),
            Pattern.compile("\"created\" ?: ?\\d+"));

    static FakeOpenAi openAi;
    static FakeAnthropic anthropic;
    static String openAiModel;
    static String anthropicModel;
    static AiFixtures.Consumer consumer;

    @BeforeEach
    void start() throws IOException {
        if (openAi != null) {
            return;
        }
        openAi = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini");
        anthropic = new FakeAnthropic(AiFixtures.UPSTREAM_KEY_ANTHROPIC, "claude-haiku-4-5");
        openAiModel = AiFixtures.model("conf-openai", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        anthropicModel = AiFixtures.model("conf-anthropic",
                AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 0));
        consumer = AiFixtures.consumer("100");
    }

    @AfterAll
    static void stop() {
        openAi.close();
        anthropic.close();
    }

    static List<String[]> cases() {
        List<String[]> cases = new java.util.ArrayList<>();
        for (String caller : List.of("openai", "anthropic")) {
            for (String vendor : List.of("openai", "anthropic")) {
                for (String scenario : List.of("conversation", "tools", "conversation-stream", "tools-stream")) {
                    cases.add(new String[]{caller, vendor, scenario});
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} caller, {1} vendor: {2}")
    @MethodSource("cases")
    void transcript(String caller, String vendor, String scenario) throws Exception {
        boolean tools = scenario.startsWith("tools");
        boolean stream = scenario.endsWith("stream");
        FakeLlmServer fake = vendor.equals("openai") ? openAi : anthropic;
        Reply reply = tools
                ? Reply.toolCall("call_weather1", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}")
                        .tokens(120, 18)
                : Reply.text("A red square, as asked.").tokens(300, 9).cached(256);
        fake.always(reply);
        String model = vendor.equals("openai") ? openAiModel : anthropicModel;
        Map<String, Object> request = caller.equals("openai")
                ? openAiRequest(model, tools, stream)
                : anthropicRequest(model, tools, stream);
        String json = JSON.writeValueAsString(request);
        HttpRequest.Builder http = HttpRequest
                .newBuilder(URI.create(AiFixtures.tollgate() + (caller.equals("openai")
                        ? "/v1/chat/completions"
                        : "/v1/messages")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (caller.equals("openai")) {
            http.header("Authorization", "Bearer " + consumer.key());
        } else {
            http.header("x-api-key", consumer.key()).header("anthropic-version", "2023-06-01");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(http.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        String transcript = "# " + caller + " format in, " + vendor + " vendor behind: " + scenario + "\n\n"
                + "## The client sent\n\n" + json + "\n\n## The vendor received\n\n"
                + JSON.writeValueAsString(fake.last().body()) + "\n\n## The client got ("
                + response.headers().firstValue("content-type").orElse("?") + ")\n\n"
                + (stream ? response.body().strip() : JSON.writeValueAsString(JSON.readTree(response.body())))
                + "\n";
        transcript = normalise(transcript);
        Path file = RECORDED.resolve(caller + "-to-" + vendor + "-" + scenario + ".md");
        if (RECORD) {
            Files.createDirectories(RECORDED);
            Files.writeString(file, transcript, StandardCharsets.UTF_8);
        }
        assertThat(file).as("recorded transcript (record with -Dai.conformance.record=true)").exists();
        assertThat(transcript).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static String normalise(String text) {
        // model names are made unique per run
        String out = text.replace(openAiModel, "tollgate-gpt").replace(anthropicModel, "tollgate-claude");
        out = VOLATILE.get(0).matcher(out).replaceAll("$1…");
        out = VOLATILE.get(1).matcher(out).replaceAll("\"created\" : 0");
        return out;
    }

    private static Map<String, Object> openAiRequest(String model, boolean tools, boolean stream) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("model", model);
        if (tools) {
            body.put("messages", List.of(Map.of("role", "system", "content", "You help with the weather."),
                    Map.of("role", "user", "content", "Weather in Lyon and in Paris?"),
                    Map.of("role", "assistant", "content", "", "tool_calls",
                            List.of(Map.of("id", "call_lyon1", "type", "function", "function",
                                    Map.of("name", "get_weather", "arguments", "{\"city\":\"Lyon\"}")))),
                    Map.of("role", "tool", "tool_call_id", "call_lyon1", "content", "{\"temp_c\":14}")));
            body.put("tools", List.of(Map.of("type", "function", "function", Map.of("name", "get_weather",
                    "description", "Current weather of a city", "parameters",
                    Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"), "unit",
                            Map.of("type", "string", "enum", List.of("celsius", "fahrenheit"))), "required",
                            List.of("city"))))));
            body.put("tool_choice", "auto");
        } else {
            body.put("messages", List.of(Map.of("role", "system", "content", "Describe images in one sentence."),
                    Map.of("role", "user", "content", "Hello"),
                    Map.of("role", "assistant", "content", "Hello! Send me an image."),
                    Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "What is this?"),
                            Map.of("type", "image_url", "image_url",
                                    Map.of("url", "data:image/png;base64," + PNG))))));
            body.put("stop", List.of("\n\n", "END"));
            body.put("temperature", 0.2);
        }
        body.put("max_tokens", 200);
        if (stream) {
            body.put("stream", true);
            body.put("stream_options", Map.of("include_usage", true));
        }
        return body;
    }

    private static Map<String, Object> anthropicRequest(String model, boolean tools, boolean stream) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("model", model);
        body.put("max_tokens", 200);
        if (tools) {
            body.put("system", "You help with the weather.");
            body.put("messages", List.of(Map.of("role", "user", "content", "Weather in Lyon and in Paris?"),
                    Map.of("role", "assistant", "content", List.of(Map.of("type", "tool_use", "id", "toolu_lyon1",
                            "name", "get_weather", "input", Map.of("city", "Lyon")))),
                    Map.of("role", "user", "content", List.of(Map.of("type", "tool_result", "tool_use_id",
                            "toolu_lyon1", "content", "{\"temp_c\":14}")))));
            body.put("tools", List.of(Map.of("name", "get_weather", "description", "Current weather of a city",
                    "input_schema", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"),
                            "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit"))), "required",
                            List.of("city")))));
            body.put("tool_choice", Map.of("type", "auto"));
        } else {
            body.put("system", List.of(Map.of("type", "text", "text", "Describe images in one sentence.")));
            body.put("messages", List.of(Map.of("role", "user", "content", "Hello"),
                    Map.of("role", "assistant", "content", "Hello! Send me an image."),
                    Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "What is this?"),
                            Map.of("type", "image", "source", Map.of("type", "base64", "media_type", "image/png",
                                    "data", PNG))))));
            body.put("stop_sequences", List.of("\n\n", "END"));
            body.put("temperature", 0.2);
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }
}
