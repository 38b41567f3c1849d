package dev.tollgate.notifications;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * In-app notifications over HTTP: history, read state and counts, who may send to whom, events produced exactly once by
 * their real cause (a new subscriber, a new review, answered feedback), and the feedback flow.
 */
abstract class NotificationsScenarios extends WithUpstream {

    private static final String NOTIFY = "/api/v1/notify";

    @Test
    void my_notifications_are_listed_newest_first_counted_and_marked_read() {
        Api.User user = Api.registerConsumer();
        user.as().body(Map.of("title", "First", "message", "one")).post(NOTIFY + "/send").then().statusCode(201)
                .body("sent", equalTo(1));
        user.as().body(Map.of("title", "Second", "message", "two", "notification_type", "warning", "action_url",
                "/somewhere", "metadata", Map.of("k", "v"))).post(NOTIFY + "/send").then().statusCode(201);

        JsonPath history = user.as().get(NOTIFY + "/history").then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("title")).containsExactly("Second", "First");
        assertThat(history.getString("[0].notification_type")).isEqualTo("warning");
        assertThat(history.getString("[0].action_url")).isEqualTo("/somewhere");
        assertThat(history.getMap("[0].metadata")).containsEntry("k", "v");
        assertThat(history.getBoolean("[0].read")).isFalse();
        user.as().get(NOTIFY + "/unread-count").then().statusCode(200).body("unread_count", equalTo(2));

        String first = history.getString("[1].id");
        Api.registerConsumer().as().post(NOTIFY + "/" + first + "/read").then().statusCode(404);
        user.as().post(NOTIFY + "/" + first + "/read").then().statusCode(200).body("read", equalTo(true));
        user.as().get(NOTIFY + "/unread-count").then().body("unread_count", equalTo(1));
        user.as().queryParam("unread_only", true).get(NOTIFY + "/history").then().body("title",
                equalTo(List.of("Second")));
        user.as().queryParam("type", "warning").get(NOTIFY + "/history").then().body("size()", equalTo(1));
        user.as().post(NOTIFY + "/mark-all-read").then().statusCode(200).body("marked", equalTo(1));
        user.as().get(NOTIFY + "/unread-count").then().body("unread_count", equalTo(0));
        given().get(NOTIFY + "/history").then().statusCode(401);
    }

    @Test
    void only_admins_send_to_others_and_bad_notices_are_422_writing_nothing() {
        Api.User user = Api.registerConsumer();
        Api.User other = Api.registerConsumer();
        user.as().body(Map.of("title", "Hi", "message", "m", "user_id", other.id())).post(NOTIFY + "/send").then()
                .statusCode(403);
        user.as().body(Map.of("title", "Hi", "message", "m", "to_all", true)).post(NOTIFY + "/send").then()
                .statusCode(403);
        user.as().body(Map.of("title", "", "message", "m")).post(NOTIFY + "/send").then().statusCode(422)
                .body("errors.field", hasItem("title"));
        user.as().body(Map.of("title", "t", "message", "m", "notification_type", "Not A Type"))
                .post(NOTIFY + "/send").then().statusCode(422).body("errors.field", hasItem("notification_type"));
        other.as().get(NOTIFY + "/unread-count").then().body("unread_count", equalTo(0));
        user.as().get(NOTIFY + "/unread-count").then().body("unread_count", equalTo(0));

        Api.User admin = Api.admin();
        admin.as().body(Map.of("title", "Personal", "message", "m")).queryParam("user_id", other.id())
                .post(NOTIFY + "/send").then().statusCode(201).body("sent", equalTo(1));
        admin.as().body(Map.of("title", "Nobody", "message", "m", "user_id", UUID.randomUUID().toString()))
                .post(NOTIFY + "/send").then().statusCode(404);
        admin.as().body(Map.of("title", "Maintenance tonight", "message", "From 22:00 UTC", "notification_type",
                "broadcast", "to_all", true)).post(NOTIFY + "/send").then().statusCode(201);
        assertThat(other.as().get(NOTIFY + "/history").then().extract().jsonPath().getList("title"))
                .containsExactly("Maintenance tonight", "Personal");
        assertThat(user.as().get(NOTIFY + "/history").then().extract().jsonPath().getList("title"))
                .containsExactly("Maintenance tonight");
    }

    @Test
    void a_new_subscriber_and_a_new_review_notify_the_provider_once_each() throws InterruptedException {
        PublishedApi api = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                Map.of("name", "Noticed " + Api.uniqueName("x")));
        api.provider().as().body(Map.of("api_id", api.id(), "category", "noticed")).post("/api/v1/marketplace/publish")
                .then().statusCode(201);
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        JsonPath history = api.provider().as().queryParam("type", "new_subscriber").get(NOTIFY + "/history").then()
                .extract().jsonPath();
        assertThat(history.getList("title")).hasSize(1);
        assertThat(history.getString("[0].metadata.subscription_id")).isEqualTo(caller.subscriptionId());

        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        int status = 0;
        for (int i = 0; i < 50 && status != 201; i++) {
            status = caller.consumer().as().body(Map.of("api_id", api.id(), "rating", 4, "comment", "Good"))
                    .post("/api/v1/marketplace/reviews").then().extract().statusCode();
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo(201);
        caller.consumer().as().body(Map.of("api_id", api.id(), "rating", 5, "comment", "Better"))
                .post("/api/v1/marketplace/reviews").then().statusCode(200);
        JsonPath reviews = api.provider().as().queryParam("type", "new_review").get(NOTIFY + "/history").then()
                .extract().jsonPath();
        assertThat(reviews.getList("title")).hasSize(1);
        assertThat(reviews.getString("[0].message")).isEqualTo("4 of 5: Good");
        assertThat(caller.consumer().as().get(NOTIFY + "/history").then().extract().jsonPath().getList("id"))
                .isEmpty();
    }

    @Test
    void feedback_reaches_the_admins_and_their_answer_notifies_the_author_once() {
        Api.User author = Api.registerConsumer();
        author.as().body(Map.of("type", "complaint", "message", "x")).post("/api/v1/feedback").then().statusCode(422)
                .body("errors.field", hasItem("type"));
        String id = author.as().body(Map.of("type", "bug", "message", "The docs page is blank"))
                .post("/api/v1/feedback").then().statusCode(201).body("status", equalTo("pending")).extract()
                .path("id");
        author.as().get("/api/v1/feedback").then().statusCode(200).body("id", equalTo(List.of(id)));
        author.as().get("/api/v1/admin/feedback").then().statusCode(403);
        author.as().body(Map.of("status", "resolved")).put("/api/v1/admin/feedback/" + id).then().statusCode(403);

        Api.User admin = Api.admin();
        assertThat(admin.as().queryParam("status", "pending").queryParam("limit", 200).get("/api/v1/admin/feedback")
                .then().statusCode(200).extract().jsonPath().getList("id")).contains(id);
        admin.as().body(Map.of("status", "closed")).put("/api/v1/admin/feedback/" + id).then().statusCode(422);
        admin.as().body(Map.of("status", "resolved", "admin_response", "Fixed in 1.2")).put("/api/v1/admin/feedback/"
                + id).then().statusCode(200).body("status", equalTo("resolved"))
                .body("admin_response", equalTo("Fixed in 1.2"));
        admin.as().body(Map.of("status", "resolved", "admin_response", "Fixed in 1.2")).put("/api/v1/admin/feedback/"
                + id).then().statusCode(200);
        JsonPath notified = author.as().queryParam("type", "feedback_answered").get(NOTIFY + "/history").then()
                .extract().jsonPath();
        assertThat(notified.getList("message")).containsExactly("Fixed in 1.2");
        author.as().get("/api/v1/feedback").then().body("[0].admin_response", equalTo("Fixed in 1.2"));
    }

    @Test
    void an_admin_changing_a_tier_notifies_the_user_once_per_change() {
        Api.User user = Api.registerConsumer();
        Api.User admin = Api.admin();
        String path = "/api/v1/admin/users/" + user.id();
        admin.as().body(Map.of("plan", "pro")).put(path).then().statusCode(200).body("plan", equalTo("pro"));
        // the same tier again is no change; a refused change (bad role) changes nothing and tells nothing
        admin.as().body(Map.of("plan", "pro")).put(path).then().statusCode(200);
        admin.as().body(Map.of("plan", "enterprise", "roles", List.of())).put(path).then().statusCode(422);
        admin.as().body(Map.of("plan", "enterprise", "roles", List.of("wizard"))).put(path).then().statusCode(422);
        JsonPath notices = user.as().queryParam("type", "tier_changed").get(NOTIFY + "/history").then().extract()
                .jsonPath();
        assertThat(notices.getList("title")).containsExactly("Your account is now on the pro tier");
        assertThat(notices.getString("[0].message")).contains("from the free to the pro tier");
        assertThat(notices.getMap("[0].metadata")).containsEntry("tier", "pro").containsEntry("previous_tier",
                "free");

        admin.as().body(Map.of("plan", "free")).put(path).then().statusCode(200);
        assertThat(user.as().queryParam("type", "tier_changed").get(NOTIFY + "/history").then().extract()
                .jsonPath().getList("title")).containsExactly("Your account is now on the free tier",
                        "Your account is now on the pro tier");
    }
}
