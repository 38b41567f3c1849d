package dev.tollgate.assistant;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.Gateway;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The assistant over HTTP, on each database: streamed answers with their final event, the history, follow-ups that
 * send the earlier turns, other users' conversations, refusals that store nothing, and one charge per answer at the
 * model's price (3 micros per input token, 15 per output token). The model is a fake OpenAI vendor.
 */
abstract class AssistantScenarios {

    private static final ObjectMapper JSON = new ObjectMapper();
    static FakeOpenAi vendor;

    /** One Server-Sent Event. */
    record Event(String event, JsonNode data) {
    }

    /** Once per class, once the application runs (a static {@code @BeforeAll} runs before it listens). */
    private static void startVendor() throws IOException {
        vendor = FakeOpenAi.servingModel(AssistantProfile.MODEL);
    }

    @AfterAll
    static void stopVendor() {
        if (vendor != null) {
            vendor.close();
            vendor = null;
        }
    }

    @BeforeEach
    void resetVendor() throws IOException {
        if (vendor == null) {
            startVendor();
        }
        vendor.replying(null);
        vendor.always(Reply.text("Hello from the fake model."));
    }

    static Api.User userWithCredit() {
        Api.User user = Api.registerConsumer();
        Api.grantCredits(user, "1");
        return user;
    }

    static List<Event> events(String body) throws IOException {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            if (event != null) {
                events.add(new Event(event, JSON.readTree(data.toString())));
            }
        }
        return events;
    }

    static Response chat(Api.User user, Map<String, Object> body) {
        return user.as().body(body).post("/api/v1/assistant/chat");
    }

    @Test
    void a_streamed_answer_has_deltas_then_a_final_event_and_is_kept_in_the_history() throws Exception {
        Api.User user = Api.register("provider");
        Api.grantCredits(user, "1");
        Gateway.publish(user, "http://127.0.0.1:9", Map.of("name", "Cat Facts " + user.username()));
        vendor.always(Reply.text("Write a handler per route").tokens(100, 4));

        Response response = chat(user, Map.of("message", "How do I add a route?"));

        response.then().statusCode(200).contentType(containsString("text/event-stream"));
        List<Event> events = events(response.asString());
        assertThat(events).extracting(Event::event).containsExactly("delta", "delta", "delta", "delta", "delta",
                "done");
        assertThat(events.subList(0, 5)).extracting(e -> e.data().path("text").asText())
                .containsExactly("Write", " a", " handler", " per", " route");
        JsonNode done = events.get(5).data();
        String conversation = done.path("conversation_id").asText();
        assertThat(done.path("reply").asText()).isEqualTo("Write a handler per route");
        assertThat(done.path("model").asText()).isEqualTo(AssistantProfile.MODEL);
        assertThat(done.path("usage").path("input_tokens").asLong()).isEqualTo(100);
        assertThat(done.path("usage").path("output_tokens").asLong()).isEqualTo(4);
        assertThat(done.path("cost").decimalValue()).isEqualByComparingTo("0.00036");

        // the model got the docs, the user's APIs and the message
        JsonNode sent = vendor.last().body().path("messages");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.get(0).path("content").asText()).contains("export default", "routes",
                "Cat Facts " + user.username());
        assertThat(sent.get(1).path("content").asText()).isEqualTo("How do I add a route?");

        user.as().get("/api/v1/assistant/conversations").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].id", equalTo(conversation)).body("[0].title", equalTo("How do I add a route?"))
                .body("[0].message_count", equalTo(2));
        JsonNode history = JSON.readTree(user.as().get("/api/v1/assistant/conversations/" + conversation).then()
                .statusCode(200).extract().asString()).path("messages");
        assertThat(history).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant");
        assertThat(history).extracting(m -> m.path("content").asText()).containsExactly("How do I add a route?",
                "Write a handler per route");
        assertThat(history.get(1).path("output_tokens").asLong()).isEqualTo(4);
        assertThat(history.get(1).path("cost").decimalValue()).isEqualByComparingTo("0.00036");
        assertThat(history.get(0).has("cost")).isFalse();

        ChargeLines charged = ChargeLines.await(user, 1);
        assertThat(charged.amount()).isEqualByComparingTo("-0.00036");
        Thread.sleep(300); // a second charge would be written by now
        assertThat(ChargeLines.of(user).calls()).isEqualTo(1);
        assertThat(JSON.readTree(user.as().get("/api/v1/users/me/credits").then().statusCode(200).extract()
                .asString()).path("balance").decimalValue()).isEqualByComparingTo("0.99964");
    }

    @Test
    void a_follow_up_sends_the_earlier_turns_and_can_be_answered_as_json() throws IOException {
        Api.User user = userWithCredit();
        vendor.always(Reply.text("First answer").tokens(10, 2));
        String conversation = events(chat(user, Map.of("message", "First question")).then().statusCode(200)
                .extract().asString()).get(2).data().path("conversation_id").asText();
        vendor.always(Reply.text("Second answer").tokens(20, 2));

        JsonPath answer = chat(user, Map.of("message", "Second question", "conversation_id", conversation,
                "stream", false)).then().statusCode(200).contentType(containsString("application/json")).extract()
                .jsonPath();

        assertThat(answer.getString("conversation_id")).isEqualTo(conversation);
        assertThat(answer.getString("reply")).isEqualTo("Second answer");
        assertThat(answer.getLong("usage.input_tokens")).isEqualTo(20);
        JsonNode sent = vendor.last().body().path("messages");
        assertThat(sent).hasSize(4);
        assertThat(Stream.of(1, 2, 3).map(i -> sent.get(i).path("role").asText() + ": "
                + sent.get(i).path("content").asText())).containsExactly("user: First question",
                        "assistant: First answer", "user: Second question");
        assertThat(user.as().get("/api/v1/assistant/conversations/" + conversation).then().statusCode(200)
                .extract().jsonPath().getList("messages.content")).containsExactly("First question", "First answer",
                        "Second question", "Second answer");
    }

    @Test
    void only_the_last_twenty_messages_go_to_the_model() {
        Api.User user = userWithCredit();
        vendor.replying(request -> {
            JsonNode messages = request.body().path("messages");
            return Reply.text("answer to " + messages.get(messages.size() - 1).path("content").asText());
        });
        String conversation = chat(user, Map.of("message", "q0", "stream", false)).then().statusCode(200)
                .extract().path("conversation_id");
        for (int i = 1; i <= 11; i++) {
            chat(user, Map.of("message", "q" + i, "conversation_id", conversation, "stream", false)).then()
                    .statusCode(200);
        }
        // 24 messages stored; the 12th question was sent with the system prompt, the 20 latest before it, and itself
        JsonNode sent = vendor.last().body().path("messages");
        assertThat(sent).hasSize(22);
        assertThat(sent.get(1).path("content").asText()).isEqualTo("q1");
        assertThat(sent.get(21).path("content").asText()).isEqualTo("q11");
        user.as().get("/api/v1/assistant/conversations").then().body("[0].message_count", equalTo(24));
    }

    @Test
    void another_users_conversation_is_404_and_deleting_ones_own_removes_it() {
        Api.User owner = userWithCredit();
        Api.User other = userWithCredit();
        String conversation = chat(owner, Map.of("message", "Mine", "stream", false)).then().statusCode(200)
                .extract().path("conversation_id");
        int calls = vendor.calls();

        other.as().get("/api/v1/assistant/conversations/" + conversation).then().statusCode(404)
                .contentType("application/problem+json");
        other.as().delete("/api/v1/assistant/conversations/" + conversation).then().statusCode(404);
        chat(other, Map.of("message", "Let me in", "conversation_id", conversation)).then().statusCode(404);
        other.as().get("/api/v1/assistant/conversations").then().body("size()", equalTo(0));
        assertThat(vendor.calls()).isEqualTo(calls);

        owner.as().delete("/api/v1/assistant/conversations/" + conversation).then().statusCode(204);
        owner.as().get("/api/v1/assistant/conversations/" + conversation).then().statusCode(404);
        owner.as().get("/api/v1/assistant/conversations").then().body("size()", equalTo(0));
    }

    @Test
    void without_enough_credit_it_is_402_and_nothing_is_stored_or_sent() {
        Api.User user = Api.registerConsumer();
        int calls = vendor.calls();

        chat(user, Map.of("message", "Hello")).then().statusCode(402).contentType("application/problem+json")
                .body("detail", containsString("credit"));

        assertThat(vendor.calls()).isEqualTo(calls);
        user.as().get("/api/v1/assistant/conversations").then().body("size()", equalTo(0));
    }

    @Test
    void bad_input_is_422_and_nothing_is_stored_or_sent() {
        Api.User user = userWithCredit();
        int calls = vendor.calls();

        chat(user, Map.of()).then().statusCode(422).body("errors[0].field", equalTo("message"));
        chat(user, Map.of("message", "  ")).then().statusCode(422);
        chat(user, Map.of("message", "x".repeat(8_001))).then().statusCode(422)
                .body("detail", containsString("8000"));
        chat(user, Map.of("message", "Hi", "conversation_id", "not-an-id")).then().statusCode(422)
                .body("errors[0].field", equalTo("conversation_id"));
        user.as().get("/api/v1/assistant/conversations?limit=0").then().statusCode(422);

        assertThat(vendor.calls()).isEqualTo(calls);
        user.as().get("/api/v1/assistant/conversations").then().body("size()", equalTo(0));
        chat(user, Map.of("message", "x".repeat(8_000), "stream", false)).then().statusCode(200);
    }

    @Test
    void deltas_reach_the_client_while_the_model_is_still_answering() throws Exception {
        Api.User user = userWithCredit();
        vendor.always(Reply.text("One two three four"));
        // the fake's events: the role chunk, "One", " two", then it waits
        vendor.pauseAfter(3);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class) + "/api/v1/assistant/chat"))
                .header("Authorization", "Bearer " + user.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Count\"}")).build();
        try {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            Iterator<String> lines = response.body().iterator();
            assertThat(vendor.awaitPaused()).isTrue();
            CompletableFuture<List<String>> beforeResume = CompletableFuture.supplyAsync(() -> {
                List<String> seen = new ArrayList<>();
                while (lines.hasNext()) {
                    String line = lines.next();
                    seen.add(line);
                    if (line.contains("\" two\"")) {
                        return seen;
                    }
                }
                return seen;
            });
            assertThat(beforeResume.get(10, TimeUnit.SECONDS)).contains("data: {\"text\":\"One\"}",
                    "data: {\"text\":\" two\"}");
            vendor.resume();
            List<String> rest = new ArrayList<>();
            lines.forEachRemaining(rest::add);
            assertThat(rest).contains("event: done");
        } finally {
            vendor.resume();
        }
    }
}
