package dev.tollgate.e2e;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged application keeps its data and its signing key across a restart. */
class RestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void data_and_issued_tokens_survive_a_restart() throws Exception {
        String register = """
                {"email": "restart@example.com", "username": "restart_user", "password": "survives restarts"}
                """;
        String accessToken;
        String refreshToken;
        String userId;
        String firstOutput;
        try (RunningApp app = RunningApp.start(dataDir, Map.of())) {
            HttpResponse<String> created = app.send("POST", "/api/v1/auth/register", register, null);
            assertThat(created.statusCode()).isEqualTo(201);
            JsonNode body = JSON.readTree(created.body());
            accessToken = body.get("access_token").asText();
            refreshToken = body.get("refresh_token").asText();
            userId = body.get("user").get("id").asText();
            app.stop();
            firstOutput = app.output();
        }
        // first start: the generated admin password is printed once, outside every log line, and logs are JSON
        assertThat(firstOutput).contains("Tollgate created the first administrator");
        String adminPassword = generatedAdminPassword(firstOutput);
        assertThat(firstOutput.split(Pattern.quote(adminPassword), -1)).hasSize(2);
        assertThat(firstOutput.lines().filter(line -> line.startsWith("{")))
                .isNotEmpty().noneMatch(line -> line.contains(adminPassword));
        assertThat(firstOutput.lines().filter(line -> line.startsWith("{")).findFirst().map(this::parse))
                .hasValueSatisfying(line -> assertThat(line.has("message")).isTrue());
        assertThat(dataDir.resolve("db")).isDirectory();
        assertThat(dataDir.resolve("keys/jwt-signing-key.pem")).isRegularFile();

        try (RunningApp app = RunningApp.start(dataDir, Map.of())) {
            HttpResponse<String> me = app.send("GET", "/api/v1/auth/me", null, accessToken);
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(JSON.readTree(me.body()).get("id").asText()).isEqualTo(userId);

            HttpResponse<String> login = app.send("POST", "/api/v1/auth/login",
                    "{\"username\": \"restart_user\", \"password\": \"survives restarts\"}", null);
            assertThat(login.statusCode()).isEqualTo(200);

            HttpResponse<String> adminLogin = app.send("POST", "/api/v1/auth/login",
                    "{\"username\": \"admin\", \"password\": \"" + adminPassword + "\"}", null);
            assertThat(adminLogin.statusCode()).as("the printed admin password works").isEqualTo(200);

            HttpResponse<String> refreshed = app.send("POST", "/api/v1/auth/refresh",
                    "{\"refresh_token\": \"" + refreshToken + "\"}", null);
            assertThat(refreshed.statusCode()).isEqualTo(200);
            app.stop();
            assertThat(app.output()).doesNotContain("Tollgate created the first administrator");
        }
    }

    @Test
    void the_first_admin_comes_from_the_environment_when_given() throws Exception {
        Map<String, String> environment = Map.of("TOLLGATE_ADMIN_EMAIL", "boss@example.com",
                "TOLLGATE_ADMIN_PASSWORD", "a configured admin password");
        try (RunningApp app = RunningApp.start(dataDir, environment)) {
            HttpResponse<String> login = app.send("POST", "/api/v1/auth/login",
                    "{\"username\": \"boss@example.com\", \"password\": \"a configured admin password\"}", null);
            assertThat(login.statusCode()).isEqualTo(200);
            JsonNode user = JSON.readTree(login.body()).get("user");
            assertThat(user.get("roles").toString()).contains("admin");
            String token = JSON.readTree(login.body()).get("access_token").asText();
            assertThat(app.send("GET", "/api/v1/admin/users", null, token).statusCode()).isEqualTo(200);
            assertThat(app.send("GET", "/metrics", null, token).statusCode()).isEqualTo(200);
            app.stop();
            assertThat(app.output()).doesNotContain("a configured admin password")
                    .doesNotContain("Tollgate created the first administrator. This is shown once");
        }
    }

    private JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }

    /** The password from the "shown once" box: the line "   password: …". */
    private static String generatedAdminPassword(String output) {
        return output.lines().map(String::trim).filter(line -> line.startsWith("password: "))
                .map(line -> line.substring("password: ".length())).findFirst()
                .orElseThrow(() -> new AssertionError("no generated admin password in the output"));
    }
}
