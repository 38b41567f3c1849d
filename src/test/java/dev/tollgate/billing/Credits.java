package dev.tollgate.billing;

import java.math.BigDecimal;

import dev.tollgate.testing.Api;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/** A user's {@code GET /users/me/credits}, as exact decimals. */
record Credits(BigDecimal balance, BigDecimal reserved, BigDecimal available) {

    static Credits of(Api.User user) {
        JsonPath json = exact(user.as().get("/api/v1/users/me/credits").then().statusCode(200).extract().jsonPath());
        return new Credits(decimal(json, "balance"), decimal(json, "reserved"), decimal(json, "available"));
    }

    /** The same JSON, read with decimals as {@link BigDecimal} instead of floats. */
    static JsonPath exact(JsonPath json) {
        return json
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    /** A money field of a JSON answer as an exact decimal (never through a double). */
    static BigDecimal decimal(JsonPath json, String path) {
        Object value = exact(json).get(path);
        if (value == null) {
            throw new AssertionError("no " + path + " in " + json.prettify());
        }
        return new BigDecimal(value.toString());
    }
}
