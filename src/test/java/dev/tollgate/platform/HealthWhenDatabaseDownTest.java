package dev.tollgate.platform;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.PostgresProfile;
import dev.tollgate.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Stops the real PostgreSQL under a running application. */
@QuarkusTest
@TestProfile(HealthWhenDatabaseDownTest.DownProfile.class)
class HealthWhenDatabaseDownTest {

    /** Its own profile (so its own database and application) because the test kills the database. */
    public static class DownProfile extends PostgresProfile {
    }

    @Test
    void health_is_503_when_the_database_is_down() {
        given().get("/health").then().statusCode(200).body("checks.database.status", equalTo("up"));
        given().get("/api/v1/system/health").then().statusCode(200).body("checks.database.status", equalTo("up"));
        PostgresResource.stopDatabase();
        given().get("/health").then().statusCode(503)
                .body("status", equalTo("unavailable"))
                .body("checks.database.status", equalTo("down"))
                .body("version", notNullValue());
        given().get("/api/v1/system/health").then().statusCode(503)
                .body("status", equalTo("unavailable"))
                .body("checks.database.status", equalTo("down"));
    }
}
