package dev.tollgate.notifications;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.WebhookReceiver;
import io.agroal.api.AgroalDataSource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * Notifications beyond the history: the live WebSocket stream (a real WebSocket client), signed webhooks (a local
 * receiver that fails then succeeds), and the per-user preferences that choose between them.
 */
abstract class NotificationChannelsScenarios {

    private static final String NOTIFY = "/api/v1/notify";
    private static final String WEBHOOKS = "/api/v1/webhooks";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    Vertx vertx;

    @Inject
    AgroalDataSource database;

    // --- the live stream ------------------------------------------------------------------------------------------

    /** A WebSocket client and the messages it got. */
    private final class Client {
        final WebSocket socket;
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Short> closed = new CompletableFuture<>();

        Client(String token, String query) throws Exception {
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
                    .setPort(RestAssured.port).setURI(NOTIFY + "/stream" + (query == null ? "" : "?" + query));
            if (token != null) {
                options.addHeader("Authorization", "Bearer " + token);
            }
            // the handlers are set on the event loop as the connection completes, before any frame can arrive
            socket = vertx.createHttpClient().webSocket(options).onSuccess(ws -> {
                ws.textMessageHandler(text -> {
                    try {
                        messages.add(json.readTree(text));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ws.closeHandler(ignored -> closed.complete(ws.closeStatusCode()));
            }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        /** The next message that is not a heartbeat. */
        JsonNode next(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonNode message = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (message == null || !"heartbeat".equals(message.path("type").asText())) {
                    return message;
                }
            }
        }

        void close() {
            socket.close();
        }
    }

    @Test
    void the_stream_pushes_each_new_notification_to_every_connection_of_its_user_only() throws Exception {
        Api.User alice = Api.registerConsumer();
        Api.User bob = Api.registerConsumer();
        Client header = new Client(alice.accessToken(), null);
        Client firstMessage = new Client(null, null);
        firstMessage.socket.writeTextMessage("{\"type\":\"auth\",\"token\":\"" + alice.accessToken() + "\"}");
        Client other = new Client(bob.accessToken(), null);
        try {
            for (Client client : List.of(header, firstMessage, other)) {
                JsonNode ready = client.next(WAIT);
                assertThat(ready.path("type").asText()).isEqualTo("ready");
                assertThat(ready.path("unread_count").asLong()).isZero();
            }
            long sent = System.nanoTime();
            alice.as().body(Map.of("title", "Live one", "message", "pushed")).post(NOTIFY + "/send").then()
                    .statusCode(201);
            for (Client client : List.of(header, firstMessage)) {
                JsonNode message = client.next(WAIT);
                assertThat(message.path("type").asText()).isEqualTo("notification");
                assertThat(message.path("notification").path("title").asText()).isEqualTo("Live one");
                assertThat(message.path("notification").path("notification_type").asText()).isEqualTo("info");
            }
            assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(1_000);
            assertThat(other.next(Duration.ofMillis(700))).as("another user's notification").isNull();

            // written by another node: only the database and the change version move
            UUID id = UUID.randomUUID();
            try (Connection c = database.getConnection();
                    PreparedStatement insert = c.prepareStatement(
                            "insert into notifications (id, user_id, notification_type, title, message, metadata, cause,"
                                    + " created_at, in_app) values (?, ?, 'info', 'From node 2', 'm', '{}', ?, ?, true)")) {
                insert.setObject(1, id);
                insert.setObject(2, UUID.fromString(bob.id()));
                insert.setString(3, "test:" + id);
                insert.setTimestamp(4, Timestamp.from(Instant.now()));
                insert.executeUpdate();
                c.createStatement().executeUpdate(
                        "update change_versions set version = version + 1 where topic = 'notifications'");
            }
            long written = System.nanoTime();
            JsonNode fromOtherNode = other.next(WAIT);
            assertThat(fromOtherNode.path("notification").path("id").asText()).isEqualTo(id.toString());
            assertThat((System.nanoTime() - written) / 1_000_000).isLessThan(1_000);
            assertThat(header.next(Duration.ofMillis(500))).isNull();

            // a reconnecting client gets what it missed after its last notification
            Client again = new Client(alice.accessToken(), "since=" + Instant.now().minusSeconds(600));
            assertThat(again.next(WAIT).path("unread_count").asLong()).isEqualTo(1);
            assertThat(again.next(WAIT).path("notification").path("title").asText()).isEqualTo("Live one");
            again.close();
        } finally {
            header.close();
            firstMessage.close();
            other.close();
        }
    }

    @Test
    void the_stream_closes_connections_without_a_valid_token() throws Exception {
        Client forged = new Client(null, null);
        forged.socket.writeTextMessage("{\"type\":\"auth\",\"token\":\"eyJhbGciOiJFUzI1NiJ9.e30.c2ln\"}");
        assertThat(forged.next(WAIT).path("type").asText()).isEqualTo("error");
        assertThat(forged.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);

        Client silent = new Client(null, null); // the test profile waits 2 s for the token
        JsonNode error = silent.next(WAIT);
        assertThat(error.path("detail").asText()).contains("No access token");
        assertThat(silent.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);

        Client wrongFirst = new Client(null, null);
        wrongFirst.socket.writeTextMessage("hello");
        assertThat(wrongFirst.next(WAIT).path("detail").asText()).contains("first message");
        assertThat(wrongFirst.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    }

    @Test
    void a_connection_gets_heartbeats_and_is_closed_once_its_login_ends() throws Exception {
        Api.User user = Api.registerConsumer();
        Client client = new Client(user.accessToken(), null);
        assertThat(client.next(WAIT).path("type").asText()).isEqualTo("ready");
        JsonNode beat = client.messages.poll(5, TimeUnit.SECONDS); // every second in the test profile
        assertThat(beat.path("type").asText()).isEqualTo("heartbeat");

        user.as().post("/api/v1/auth/logout").then().statusCode(204);
        JsonNode error = client.next(WAIT);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("detail").asText()).contains("login has ended");
        assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    }

    // --- webhooks -------------------------------------------------------------------------------------------------

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonPath createWebhook(Api.User user, String url, List<String> events) {
        return user.as().body(Map.of("url", url, "events", events, "description", "test receiver"))
                .post(WEBHOOKS).then().statusCode(201).extract().jsonPath();
    }

    private static void send(Api.User user, String title) {
        user.as().body(Map.of("title", title, "message", "for the webhook")).post(NOTIFY + "/send").then()
                .statusCode(201);
    }

    @Test
    void deliveries_are_signed_with_the_secret_shown_once() throws Exception {
        Api.User user = Api.registerConsumer();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonPath created = createWebhook(user, receiver.url("/hooks/tollgate"), List.of("*"));
            String secret = created.getString("secret");
            assertThat(secret).startsWith("whsec_");
            String id = created.getString("id");
            user.as().get(WEBHOOKS).then().statusCode(200).body("[0].id", equalTo(id))
                    .body("[0].secret", equalTo(null)).body("[0].status", equalTo("active"));
            assertThat(user.as().get(WEBHOOKS + "/" + id).asString()).doesNotContain(secret);

            send(user, "Signed");
            WebhookReceiver.Received got = receiver.next(WAIT);
            assertThat(got).isNotNull();
            assertThat(got.path()).isEqualTo("/hooks/tollgate");
            String signature = got.header("Tollgate-Signature");
            String t = signature.substring(2, signature.indexOf(','));
            assertThat(signature).isEqualTo("t=" + t + ",v1=" + hmac(secret, t + "." + got.body()));
            assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t))).isLessThan(60);
            JsonNode event = json.readTree(got.body());
            assertThat(event.path("type").asText()).isEqualTo("info");
            assertThat(event.path("user_id").asText()).isEqualTo(user.id());
            assertThat(event.path("data").path("title").asText()).isEqualTo("Signed");
            assertThat(got.header("Tollgate-Event-Id")).isEqualTo(event.path("id").asText());
            assertThat(hmac("whsec_wrong", t + "." + got.body())).isNotEqualTo(signature.substring(signature
                    .indexOf("v1=") + 3));

            JsonPath deliveries = waitForDelivery(user, id, "delivered");
            assertThat(deliveries.getInt("[0].attempts")).isEqualTo(1);
            assertThat(deliveries.getInt("[0].attempt_log[0].status_code")).isEqualTo(200);
            assertThat(deliveries.getString("[0].attempt_log[0].response_excerpt")).contains("received");

            // redelivery: the same event again, as a new delivery
            String deliveryId = deliveries.getString("[0].id");
            user.as().post(WEBHOOKS + "/" + id + "/deliveries/" + deliveryId + "/redeliver").then().statusCode(202)
                    .body("status", equalTo("pending"));
            WebhookReceiver.Received again = receiver.next(WAIT);
            assertThat(again.header("Tollgate-Event-Id")).isEqualTo(event.path("id").asText());
            assertThat(again.header("Tollgate-Delivery")).isNotEqualTo(got.header("Tollgate-Delivery"));
            Api.registerConsumer().as().post(WEBHOOKS + "/" + id + "/deliveries/" + deliveryId + "/redeliver")
                    .then().statusCode(404);
        }
    }

    private static JsonPath waitForDelivery(Api.User user, String webhookId, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonPath deliveries = user.as().get(WEBHOOKS + "/" + webhookId + "/deliveries").then().statusCode(200)
                    .extract().jsonPath();
            if (status.equals(deliveries.getString("[0].status")) || System.nanoTime() > deadline) {
                return deliveries;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void a_failing_receiver_gets_every_event_once_in_order_after_retries() throws Exception {
        Api.User user = Api.registerConsumer();
        try (WebhookReceiver receiver = new WebhookReceiver().answerNext(500, 503)) {
            String id = createWebhook(user, receiver.url("/in-order"), List.of("info")).getString("id");
            send(user, "one");
            send(user, "two");
            send(user, "three");
            user.as().body(Map.of("title", "not taken", "message", "m", "notification_type", "broadcast"))
                    .post(NOTIFY + "/send").then().statusCode(201);

            List<WebhookReceiver.Received> got = receiver.next(5, WAIT);
            assertThat(got).extracting(WebhookReceiver.Received::answered).containsExactly(500, 503, 200, 200, 200);
            assertThat(got).extracting(r -> json.readTree(r.body()).path("data").path("title").asText())
                    .containsExactly("one", "one", "one", "two", "three");
            assertThat(receiver.next(Duration.ofMillis(800))).as("nothing more, nothing twice").isNull();

            JsonPath deliveries = waitForDelivery(user, id, "delivered");
            assertThat(deliveries.getList("status")).containsExactly("delivered", "delivered", "delivered");
            // exactly the attempts the receiver saw (an answer read too late once made a timed-out attempt of one)
            assertThat(deliveries.getList("attempts", Integer.class)).as(deliveries.prettify()).containsExactly(1, 1,
                    3);
            assertThat(deliveries.getList("[2].attempt_log.status_code", Integer.class)).containsExactly(500, 503,
                    200);
            user.as().get(WEBHOOKS + "/" + id).then().body("failing_since", equalTo(null))
                    .body("pending_deliveries", equalTo(0));
        }
    }

    @Test
    void an_endpoint_failing_for_the_whole_window_is_disabled_and_its_owner_told() throws Exception {
        Api.User user = Api.registerConsumer();
        try (WebhookReceiver receiver = new WebhookReceiver().answerOtherwise(500)) {
            String id = createWebhook(user, receiver.url("/down"), List.of("info")).getString("id");
            send(user, "lost cause");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String status = "active";
            while (!"disabled".equals(status) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                status = user.as().get(WEBHOOKS + "/" + id).then().extract().path("status");
            }
            assertThat(status).isEqualTo("disabled"); // the test profile disables after 4 s
            user.as().get(WEBHOOKS + "/" + id).then().body("disabled_reason", startsWith("Every delivery failed"));
            JsonPath deliveries = waitForDelivery(user, id, "failed");
            assertThat(deliveries.getString("[0].status")).isEqualTo("failed");
            assertThat(deliveries.getInt("[0].attempts")).isGreaterThan(2);
            user.as().queryParam("type", "webhook_disabled").get(NOTIFY + "/history").then().statusCode(200)
                    .body("size()", equalTo(1));

            // disabled: new events are not queued; enabled again: they are
            receiver.answerOtherwise(200);
            send(user, "while disabled");
            user.as().post(WEBHOOKS + "/" + id + "/enable").then().statusCode(200).body("status",
                    equalTo("active"));
            send(user, "after enabling");
            WebhookReceiver.Received got;
            do {
                got = receiver.next(WAIT);
            } while (got != null && got.answered() != 200);
            assertThat(json.readTree(got.body()).path("data").path("title").asText()).isEqualTo("after enabling");
        }
    }

    @Test
    void a_delivery_left_by_a_node_that_died_mid_attempt_is_sent_when_its_lease_ends() throws Exception {
        Api.User user = Api.registerConsumer();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String id = createWebhook(user, receiver.url("/durable"), List.of("*")).getString("id");
            UUID delivery = UUID.randomUUID();
            UUID event = UUID.randomUUID();
            try (Connection c = database.getConnection();
                    PreparedStatement insert = c.prepareStatement(
                            "insert into webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status,"
                                    + " attempts, next_attempt_at, created_at) values (?, ?, ?, 'info', ?, 'pending', 0, ?,"
                                    + " ?)")) {
                insert.setObject(1, delivery);
                insert.setObject(2, UUID.fromString(id));
                insert.setObject(3, event);
                insert.setString(4, "{\"id\":\"" + event + "\",\"type\":\"info\"}");
                // claimed by the dead node: its lease ran out a moment ago
                insert.setTimestamp(5, Timestamp.from(Instant.now().minusSeconds(1)));
                insert.setTimestamp(6, Timestamp.from(Instant.now().minusSeconds(60)));
                insert.executeUpdate();
            }
            WebhookReceiver.Received got = receiver.next(WAIT);
            assertThat(got).isNotNull();
            assertThat(got.header("Tollgate-Delivery")).isEqualTo(delivery.toString());
            assertThat(waitForDelivery(user, id, "delivered").getString("[0].status")).isEqualTo("delivered");
        }
    }

    @Test
    void bad_webhooks_are_422_and_create_nothing_and_others_cannot_see_mine() throws Exception {
        Api.User user = Api.registerConsumer();
        user.as().body(Map.of("url", "ftp://example.com/x")).post(WEBHOOKS).then().statusCode(422)
                .body("errors.field", hasItem("url"));
        user.as().body(Map.of("url", "https://user:pw@example.com/x")).post(WEBHOOKS).then().statusCode(422);
        user.as().body(Map.of("url", "https://example.com/x", "events", List.of("Not An Event"))).post(WEBHOOKS)
                .then().statusCode(422).body("errors.field", hasItem("events"));
        user.as().body(Map.of("url", "https://example.com/x", "description", "d".repeat(501))).post(WEBHOOKS)
                .then().statusCode(422);
        List<String> many = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "event_type_" + "x".repeat(26) + i)
                .toList();
        user.as().body(Map.of("url", "https://example.com/x", "events", many)).post(WEBHOOKS).then().statusCode(422)
                .body("errors.field", hasItem("events"));
        user.as().get(WEBHOOKS).then().statusCode(200).body("size()", equalTo(0));

        String id = createWebhook(user, "https://example.com/hook", List.of("new_review")).getString("id");
        Api.User other = Api.registerConsumer();
        other.as().get(WEBHOOKS + "/" + id).then().statusCode(404);
        other.as().delete(WEBHOOKS + "/" + id).then().statusCode(404);
        other.as().get(WEBHOOKS + "/" + id + "/deliveries").then().statusCode(404);
        user.as().queryParam("status", "lost").get(WEBHOOKS + "/" + id + "/deliveries").then().statusCode(422);
        user.as().delete(WEBHOOKS + "/" + id).then().statusCode(204);
        user.as().get(WEBHOOKS + "/" + id).then().statusCode(404);
        RestAssured.given().get(WEBHOOKS).then().statusCode(401);
    }

    // --- preferences ----------------------------------------------------------------------------------------------

    @Test
    void preferences_choose_the_channels_of_each_event_type() throws Exception {
        Api.User user = Api.registerConsumer();
        JsonPath defaults = user.as().get(NOTIFY + "/preferences").then().statusCode(200).extract().jsonPath();
        assertThat(defaults.getBoolean("email_available")).isFalse();
        assertThat(defaults.getBoolean("preferences.broadcast.in_app")).isTrue();
        assertThat(defaults.getBoolean("preferences.new_review.webhook")).isTrue();

        user.as().body(Map.of("broadcast", Map.of("in_app", false), "new_review", Map.of("webhook", false,
                "email", false))).put(NOTIFY + "/preferences").then().statusCode(200)
                .body("preferences.broadcast.in_app", equalTo(false))
                .body("preferences.broadcast.webhook", equalTo(true))
                .body("preferences.new_review.email", equalTo(false));
        user.as().body(Map.of("no_such_event", Map.of("email", false))).put(NOTIFY + "/preferences").then()
                .statusCode(422).body("errors.field", hasItem("no_such_event"));
        user.as().body(Map.of("broadcast", Map.of())).put(NOTIFY + "/preferences").then().statusCode(422);
        user.as().get(NOTIFY + "/preferences").then().body("preferences.broadcast.in_app", equalTo(false))
                .body("preferences.broadcast.email", equalTo(true));

        try (WebhookReceiver receiver = new WebhookReceiver()) {
            createWebhook(user, receiver.url("/prefs"), List.of("*"));
            // what admins send is a broadcast unless they say otherwise
            Api.admin().as().body(Map.of("title", "Quiet broadcast", "message", "m", "user_id", user.id()))
                    .post(NOTIFY + "/send").then().statusCode(201);
            WebhookReceiver.Received got = receiver.next(WAIT);
            assertThat(json.readTree(got.body()).path("data").path("title").asText()).isEqualTo("Quiet broadcast");
            assertThat(got.header("Tollgate-Event")).isEqualTo("broadcast");
            user.as().get(NOTIFY + "/history").then().body("size()", equalTo(0));
            user.as().get(NOTIFY + "/unread-count").then().body("unread_count", equalTo(0));
        }
    }
}
