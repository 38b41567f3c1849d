package dev.tollgate.platform;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Captures what the application logs while it handles requests. */
@QuarkusTest
class LoggingTest {

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
                ext.copyAll();
                records.add(ext);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void attach() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void never_logs_passwords_or_tokens() {
        String username = Api.uniqueName("logged");
        String password = "a very secret password 42";
        Map<String, Object> tokens = given().contentType("application/json")
                .body(Map.of("email", username + "@example.com", "username", username, "password", password))
                .post("/api/v1/auth/register").then().statusCode(201).extract().jsonPath().getMap("");
        String refresh = (String) tokens.get("refresh_token");
        given().contentType("application/json").body(Map.of("refresh_token", refresh)).post("/api/v1/auth/refresh")
                .then().statusCode(200);
        given().contentType("application/json").body(Map.of("refresh_token", refresh)).post("/api/v1/auth/refresh")
                .then().statusCode(401);
        Api.login(username, "wrong " + password, Api.randomClientAddress()).then().statusCode(401);

        assertThat(records).isNotEmpty();
        for (ExtLogRecord record : records) {
            String line = record.getFormattedMessage() + " " + record.getMdcCopy();
            assertThat(line).doesNotContain(password).doesNotContain(refresh)
                    .doesNotContain((String) tokens.get("access_token"));
        }
    }

    @Test
    void log_lines_of_a_request_carry_its_request_id() {
        String requestId = "trace-" + Api.uniqueName("log");
        given().header("X-Request-ID", requestId).contentType("application/json")
                .body(Map.of("email", requestId + "@example.com", "username", Api.uniqueName("rid"),
                        "password", Api.PASSWORD))
                .post("/api/v1/auth/register").then().statusCode(201);
        List<ExtLogRecord> registered = records.stream()
                .filter(r -> r.getFormattedMessage().startsWith("Registered user")).toList();
        assertThat(registered).isNotEmpty();
        assertThat(registered).allSatisfy(r -> assertThat(r.getMdc(RequestIds.MDC_KEY)).isEqualTo(requestId));
    }
}
