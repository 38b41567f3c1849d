package dev.tollgate.portal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Portal;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The notification pages: the history (only the user's own, mark read, mark all read), the settings (channels,
 * webhooks with their secret shown once), feedback, CSRF, and the portal's live stream for the bell.
 */
@QuarkusTest
class NotificationPagesTest {

    private static final Pattern BELL = Pattern.compile("<span class=\"count\" id=\"bell-count\"\\s*(hidden)?>(\\d+)<");
    private static final Pattern SECRET = Pattern.compile("whsec_[A-Za-z0-9_-]+");

    /** An admin sends the user a notification through {@code POST /api/v1/notify/send}, as the API does. */
    private static void sendTo(Portal to, String title, String actionUrl) {
        Map<String, Object> body = actionUrl == null
                ? Map.of("title", title, "message", "About " + title, "user_id", to.user().id())
                : Map.of("title", title, "message", "About " + title, "user_id", to.user().id(), "action_url",
                        actionUrl);
        Api.admin().as().body(body).post("/api/v1/notify/send").then().statusCode(201);
    }

    /** The unread count the header's bell shows (0 when it is hidden). */
    private static int bell(Response page) {
        Matcher matcher = BELL.matcher(page.asString());
        assertThat(matcher.find()).as("the bell on the page").isTrue();
        int count = Integer.parseInt(matcher.group(2));
        assertThat(matcher.group(1) != null).as("hidden exactly when zero").isEqualTo(count == 0);
        return count;
    }

    private static List<String> historyIds(Portal portal) {
        return portal.user().as().get("/api/v1/notify/history").then().statusCode(200).extract().jsonPath()
                .getList("id");
    }

    private static long unreadOverApi(Portal portal) {
        return portal.user().as().get("/api/v1/notify/unread-count").then().statusCode(200).extract().jsonPath()
                .getLong("unread_count");
    }

    @Nested
    class History {

        @Test
        void shows_the_users_own_notifications_and_never_another_users() {
            Portal alice = Portal.signUp("consumer");
            Portal bob = Portal.signUp("consumer");
            String mine = Api.uniqueName("For Alice");
            sendTo(alice, mine, null);

            Response page = alice.get("/notifications");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.asString()).contains(mine, "About " + mine, "<span class=\"tag\">Broadcast</span>",
                    "Unread", "Mark read");
            assertThat(bell(page)).isEqualTo(1);

            Response other = bob.get("/notifications");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.asString()).doesNotContain(mine).contains("No notifications yet");
            assertThat(bell(other)).isZero();
        }

        @Test
        void needs_a_sign_in() {
            Response page = Portal.anonymous().get("/notifications");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.header("Location")).contains("/signin?next=%2Fnotifications");
        }

        @Test
        void filters_by_unread_and_type_and_pages() {
            Portal user = Portal.signUp("consumer");
            String old = Api.uniqueName("Old");
            sendTo(user, old, null);
            user.user().as().body(Map.of("title", "Self note", "message", "to myself")).post("/api/v1/notify/send")
                    .then().statusCode(201);
            String oldId = user.user().as().queryParam("type", "broadcast").get("/api/v1/notify/history").then()
                    .extract().jsonPath().getString("[0].id");
            assertThat(user.post("/notifications/" + oldId + "/read", Map.of()).statusCode()).isEqualTo(303);

            String unread = user.get("/notifications?unread=1").asString();
            assertThat(unread).contains("Self note").doesNotContain(old);
            String broadcasts = user.get("/notifications?type=broadcast").asString();
            assertThat(broadcasts).contains(old).doesNotContain("Self note");
            assertThat(user.get("/notifications?type=quota_warning").asString()).contains("match this filter");
            assertThat(user.get("/notifications?type=Not-a-type").statusCode()).isEqualTo(422);

            for (int i = 0; i < 20; i++) {
                user.user().as().body(Map.of("title", "Bulk " + i, "message", "m")).post("/api/v1/notify/send");
            }
            String first = user.get("/notifications").asString();
            assertThat(first).contains("Bulk 19", "href=\"/notifications?page=2\" rel=\"next\"").doesNotContain(old)
                    .doesNotContain("rel=\"prev\"");
            String second = user.get("/notifications?page=2").asString();
            assertThat(second).contains(old, "Self note", "href=\"/notifications\" rel=\"prev\"")
                    .doesNotContain("Bulk 19").doesNotContain("rel=\"next\"");
        }

        @Test
        void links_only_to_site_paths_and_http_urls() {
            Portal user = Portal.signUp("consumer");
            sendTo(user, "Page link", "/marketplace");
            sendTo(user, "Script link", "javascript:alert(1)");
            sendTo(user, "Api link", "/api/v1/subscriptions");
            String page = user.get("/notifications").asString();
            assertThat(page).contains("href=\"/marketplace\"", "<code>/api/v1/subscriptions</code>")
                    .doesNotContain("javascript:").doesNotContain("href=\"/api/v1/subscriptions\"");
        }
    }

    @Nested
    class MarkingRead {

        @Test
        void marking_one_read_lowers_the_count_in_the_header() {
            Portal user = Portal.signUp("consumer");
            sendTo(user, "First", null);
            sendTo(user, "Second", null);
            assertThat(bell(user.get("/notifications"))).isEqualTo(2);
            List<String> ids = historyIds(user);

            Response htmx = user.htmx("POST", "/notifications/" + ids.get(0) + "/read", Map.of());
            assertThat(htmx.statusCode()).isEqualTo(200);
            assertThat(htmx.asString()).contains("id=\"notification-" + ids.get(0) + "\"", "Read",
                    "hx-swap-oob=\"true\"").doesNotContain("Mark read");
            assertThat(bell(htmx)).isEqualTo(1);
            assertThat(bell(user.get("/notifications"))).isEqualTo(1);

            Response plain = user.post("/notifications/" + ids.get(1) + "/read",
                    Map.of("back", "/notifications?unread=1"));
            assertThat(plain.statusCode()).isEqualTo(303);
            assertThat(plain.header("Location")).endsWith("/notifications?unread=1");
            assertThat(bell(user.get("/notifications"))).isZero();
            assertThat(unreadOverApi(user)).isZero();
        }

        @Test
        void goes_back_only_to_the_history() {
            Portal user = Portal.signUp("consumer");
            sendTo(user, "Hop", null);
            Response away = user.post("/notifications/" + historyIds(user).get(0) + "/read",
                    Map.of("back", "https://evil.example/"));
            assertThat(away.header("Location")).endsWith("/notifications");
        }

        @Test
        void another_users_notification_cannot_be_marked() {
            Portal alice = Portal.signUp("consumer");
            Portal bob = Portal.signUp("consumer");
            sendTo(alice, "Private", null);
            String id = historyIds(alice).get(0);
            assertThat(bob.post("/notifications/" + id + "/read", Map.of()).statusCode()).isEqualTo(404);
            assertThat(unreadOverApi(alice)).isEqualTo(1);
        }

        @Test
        void mark_all_read_marks_every_one() {
            Portal user = Portal.signUp("consumer");
            for (String title : List.of("A", "B", "C")) {
                sendTo(user, title, null);
            }
            assertThat(bell(user.get("/notifications"))).isEqualTo(3);
            Response marked = user.post("/notifications/read-all", Map.of("back", "/notifications"));
            assertThat(marked.statusCode()).isEqualTo(303);
            Response page = user.get("/notifications");
            assertThat(page.asString()).contains("Marked 3 notifications read.").doesNotContain("Mark read");
            assertThat(bell(page)).isZero();
            assertThat(unreadOverApi(user)).isZero();
        }

        @Test
        void the_unread_count_for_the_bell_script() {
            Portal user = Portal.signUp("consumer");
            sendTo(user, "Counted", null);
            user.request().accept("application/json").get("/notifications/unread").then().statusCode(200)
                    .body("unread_count", org.hamcrest.Matchers.equalTo(1));
        }
    }

    @Nested
    class Settings {

        @Test
        void a_new_webhook_shows_its_secret_once_and_the_list_never() {
            Portal user = Portal.signUp("provider");
            String url = "http://127.0.0.1:9/hooks/" + Api.uniqueName("h");
            Response added = user.post("/notifications/settings/webhooks",
                    Map.of("url", url, "events", List.of("new_review", "new_subscriber"), "description", "CI"));
            assertThat(added.statusCode()).as(added.asString()).isEqualTo(201);
            Matcher secret = SECRET.matcher(added.asString());
            assertThat(secret.find()).isTrue();
            assertThat(added.asString()).contains("shown only this once", "data-copy=\"#webhook-secret\"");

            Response list = user.get("/notifications/settings");
            assertThat(list.asString()).contains(url, "New review, New subscriber", "Active")
                    .doesNotContain(secret.group()).doesNotContain("whsec_");
            List<Map<String, Object>> endpoints = user.user().as().get("/api/v1/webhooks").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            assertThat(endpoints).singleElement().satisfies(e -> {
                assertThat(e.get("url")).isEqualTo(url);
                assertThat(e.get("events")).isEqualTo(List.of("new_review", "new_subscriber"));
            });

            String id = (String) endpoints.get(0).get("id");
            Response deleted = user.post("/notifications/settings/webhooks/" + id + "/delete", Map.of());
            assertThat(deleted.statusCode()).isEqualTo(303);
            assertThat(user.get("/notifications/settings").asString()).doesNotContain(url)
                    .contains("No webhook endpoints yet");
        }

        @Test
        void an_invalid_webhook_url_is_refused_with_the_reason_and_nothing_is_added() {
            Portal user = Portal.signUp("consumer");
            Response refused = user.post("/notifications/settings/webhooks",
                    Map.of("url", "ftp://files.example.com/drop", "events", "*"));
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.asString()).contains("The webhook was not added", "must be an http or https URL",
                    "value=\"ftp://files.example.com/drop\"").doesNotContain("whsec_");
            assertThat(user.user().as().get("/api/v1/webhooks").then().extract().jsonPath().getList("$")).isEmpty();

            Response blank = user.post("/notifications/settings/webhooks", Map.of("url", " "));
            assertThat(blank.statusCode()).isEqualTo(422);
            assertThat(blank.asString()).contains("enter the URL");
        }

        @Test
        void someone_elses_webhook_cannot_be_deleted() {
            Portal owner = Portal.signUp("consumer");
            Portal other = Portal.signUp("consumer");
            String id = owner.user().as().body(Map.of("url", "http://127.0.0.1:9/x")).post("/api/v1/webhooks")
                    .then().statusCode(201).extract().jsonPath().getString("id");
            assertThat(other.post("/notifications/settings/webhooks/" + id + "/delete", Map.of()).statusCode())
                    .isEqualTo(404);
            assertThat(owner.user().as().get("/api/v1/webhooks").then().extract().jsonPath().getList("$")).hasSize(1);
        }

        @Test
        void the_channels_chosen_are_saved() {
            Portal user = Portal.signUp("provider");
            Response page = user.get("/notifications/settings");
            assertThat(page.asString()).contains("id=\"email-new_review\"", "no mail server is set up");
            // every box on except e-mail for new reviews and the app for broadcasts
            List<String> types = user.user().as().get("/api/v1/notify/preferences").then().extract().jsonPath()
                    .getMap("preferences").keySet().stream().map(Object::toString).toList();
            Response saved = user.post("/notifications/settings/preferences", Map.of(
                    "in_app", types.stream().filter(t -> !t.equals("broadcast")).toList(),
                    "email", types.stream().filter(t -> !t.equals("new_review")).toList(),
                    "webhook", types));
            assertThat(saved.statusCode()).isEqualTo(303);
            var prefs = user.user().as().get("/api/v1/notify/preferences").then().extract().jsonPath();
            assertThat(prefs.getBoolean("preferences.new_review.email")).isFalse();
            assertThat(prefs.getBoolean("preferences.new_review.in_app")).isTrue();
            assertThat(prefs.getBoolean("preferences.broadcast.in_app")).isFalse();
            assertThat(prefs.getBoolean("preferences.quota_warning.email")).isTrue();
            assertThat(user.get("/notifications/settings").asString())
                    .containsPattern("id=\"email-new_review\" name=\"email\" value=\"new_review\" >")
                    .containsPattern("id=\"email-low_balance\" name=\"email\" value=\"low_balance\" checked>");
        }

        @Test
        void a_test_notification_reaches_the_history() {
            Portal user = Portal.signUp("consumer");
            assertThat(user.post("/notifications/settings/test", Map.of()).statusCode()).isEqualTo(303);
            Response page = user.get("/notifications");
            assertThat(page.asString()).contains("Test notification");
            assertThat(bell(page)).isEqualTo(1);
        }
    }

    @Nested
    class FeedbackForm {

        @Test
        void feedback_sent_reaches_the_admins() {
            Portal user = Portal.signUp("consumer");
            assertThat(user.get("/feedback").asString()).contains("Send feedback", "You have not sent any feedback");
            String message = Api.uniqueName("The search box forgets my query");
            Response sent = user.post("/feedback", Map.of("type", "bug", "message", message));
            assertThat(sent.statusCode()).isEqualTo(303);
            Response page = user.get("/feedback");
            assertThat(page.asString()).contains("Thank you!", message, "Pending");

            List<Map<String, Object>> all = Api.admin().as().get("/api/v1/admin/feedback").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            assertThat(all).filteredOn(f -> message.equals(f.get("message"))).singleElement()
                    .satisfies(f -> {
                        assertThat(f.get("user_id")).isEqualTo(user.user().id());
                        assertThat(f.get("type")).isEqualTo("bug");
                    });
            assertThat(Portal.signUp("consumer").get("/feedback").asString()).doesNotContain(message);
        }

        @Test
        void an_empty_or_unknown_kind_is_refused_and_nothing_is_sent() {
            Portal user = Portal.signUp("consumer");
            Response empty = user.post("/feedback", Map.of("type", "bug", "message", "  "));
            assertThat(empty.statusCode()).isEqualTo(422);
            assertThat(empty.asString()).contains("write what you would like to tell us");
            Response kind = user.post("/feedback", Map.of("type", "rant", "message", "words"));
            assertThat(kind.statusCode()).isEqualTo(422);
            assertThat(kind.asString()).contains("must be bug, feature, question or other", "words");
            assertThat(user.user().as().get("/api/v1/feedback").then().extract().jsonPath().getList("$")).isEmpty();
        }
    }

    @Nested
    class Csrf {

        @Test
        void posts_without_the_token_are_refused_and_change_nothing() {
            Portal user = Portal.signUp("consumer");
            sendTo(user, "Stays unread", null);
            String id = historyIds(user).get(0);
            Map<String, String> noToken = Map.of("_csrf", "");
            String message = Api.uniqueName("forged");

            assertThat(user.post("/notifications/read-all", noToken).statusCode()).isEqualTo(403);
            assertThat(user.post("/notifications/" + id + "/read", Map.of("_csrf", "wrong")).statusCode())
                    .isEqualTo(403);
            assertThat(user.request().header("HX-Request", "true").post("/notifications/" + id + "/read")
                    .statusCode()).isEqualTo(403);
            assertThat(user.post("/notifications/settings/webhooks",
                    Map.of("_csrf", "", "url", "http://127.0.0.1:9/forged")).statusCode()).isEqualTo(403);
            assertThat(user.post("/notifications/settings/test", noToken).statusCode()).isEqualTo(403);
            assertThat(user.post("/feedback", Map.of("_csrf", "", "type", "bug", "message", message)).statusCode())
                    .isEqualTo(403);

            assertThat(unreadOverApi(user)).isEqualTo(1);
            assertThat(historyIds(user)).hasSize(1);
            assertThat(user.user().as().get("/api/v1/webhooks").then().extract().jsonPath().getList("$")).isEmpty();
            assertThat(user.user().as().get("/api/v1/feedback").then().extract().jsonPath().getList("$")).isEmpty();
        }
    }

    // --- the live stream for the bell -----------------------------------------------------------------------------

    @Inject
    Vertx vertx;

    private final ObjectMapper json = new ObjectMapper();

    /** A browser's WebSocket to the portal stream and the messages it got. */
    private final class Browser {
        final WebSocket socket;
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Short> closed = new CompletableFuture<>();

        Browser(Map<String, String> cookies, String origin) throws Exception {
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost")
                    .setPort(RestAssured.port).setURI("/notifications/stream");
            if (!cookies.isEmpty()) {
                options.addHeader("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(Collectors.joining("; ")));
            }
            if (origin != null) {
                options.addHeader("Origin", origin); // instead of the one Vert.x makes up
            } else {
                options.setAllowOriginHeader(false); // none at all, as a non-browser client may send
            }
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
    }

    private static String sameOrigin() {
        return "http://localhost:" + RestAssured.port;
    }

    @Nested
    class LiveBell {

        private static final Duration WAIT = Duration.ofSeconds(10);

        @Test
        void a_signed_in_browser_gets_its_own_new_notifications() throws Exception {
            Portal alice = Portal.signUp("consumer");
            Portal bob = Portal.signUp("consumer");
            sendTo(alice, "Before connecting", null);
            Browser browser = new Browser(alice.cookies(), sameOrigin());
            try {
                JsonNode ready = browser.next(WAIT);
                assertThat(ready.path("type").asText()).isEqualTo("ready");
                assertThat(ready.path("unread_count").asLong()).isEqualTo(1);
                assertThat(ready.path("user_id").asText()).isEqualTo(alice.user().id());
                JsonNode backlog = browser.next(WAIT); // the last 30 s, as on the API's stream
                assertThat(backlog.path("notification").path("title").asText()).isEqualTo("Before connecting");

                sendTo(bob, "For Bob only", null);
                sendTo(alice, "Live for Alice", null);
                JsonNode live = browser.next(WAIT);
                assertThat(live.path("type").asText()).isEqualTo("notification");
                assertThat(live.path("notification").path("title").asText()).isEqualTo("Live for Alice");
                assertThat(browser.next(Duration.ofMillis(700))).as("nothing else, Bob's least").isNull();

                browser.socket.writeTextMessage("{\"type\":\"ping\"}");
                assertThat(browser.next(WAIT).path("type").asText()).isEqualTo("pong");
            } finally {
                browser.socket.close();
            }
        }

        @Test
        void signing_out_closes_the_stream() throws Exception {
            Portal user = Portal.signUp("consumer");
            Browser browser = new Browser(user.cookies(), sameOrigin());
            assertThat(browser.next(WAIT).path("type").asText()).isEqualTo("ready");
            assertThat(user.post("/signout", Map.of()).statusCode()).isEqualTo(303);
            JsonNode error = browser.next(WAIT); // checked at every heartbeat (each second in the test profile)
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("detail").asText()).contains("sign-in has ended");
            assertThat(browser.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
        }

        @Test
        void a_browser_without_the_sign_in_cookie_is_refused() {
            assertRefused(Map.of(), sameOrigin(), 401);
            assertRefused(Map.of("tollgate_session", "tgs_forged"), sameOrigin(), 401);
        }

        @Test
        void another_sites_page_is_refused_even_with_the_cookie() {
            Portal user = Portal.signUp("consumer");
            assertRefused(user.cookies(), "https://evil.example", 403);
            assertRefused(user.cookies(), "http://localhost:" + (RestAssured.port + 1), 403);
            assertRefused(user.cookies(), "null", 403);
            assertRefused(user.cookies(), null, 403);
        }

        private void assertRefused(Map<String, String> cookies, String origin, int status) {
            assertThatThrownBy(() -> new Browser(cookies, origin)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UpgradeRejectedException.class)
                    .satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(status));
        }
    }
}
