package dev.tollgate.testing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser without a screen for tests of the portal's pages: keeps the cookies a browser would, reads the CSRF
 * token from the last page (its {@code <meta name="csrf-token">}), posts forms with it, and never follows
 * redirects (tests look at them). {@link #user} is the same account over the JSON API, for setting things up.
 */
public final class Portal {

    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");

    private final Map<String, String> cookies = new HashMap<>();
    private String csrf = "";
    private Api.User user;

    private Portal() {
    }

    /** A browser that has not signed in (it has opened the landing page, so it holds a CSRF token). */
    public static Portal anonymous() {
        Portal portal = new Portal();
        portal.get("/").then().statusCode(200);
        return portal;
    }

    /** Signs up through the sign-up form as {@code consumer} or {@code provider}. */
    public static Portal signUp(String role) {
        Portal portal = anonymous();
        String username = Api.uniqueName(role);
        Response signedUp = portal.post("/signup", Map.of("email", username + "@example.com", "username", username,
                "password", Api.PASSWORD, "role", role));
        assertThat(signedUp.statusCode()).as(signedUp.asString()).isEqualTo(303);
        portal.user = apiUser(username);
        portal.get("/").then().statusCode(200);
        return portal;
    }

    /** Signs in through the sign-in form (e.g. as {@code admin} with the test profile's password). */
    public static Portal signIn(String login, String password) {
        Portal portal = anonymous();
        Response signedIn = portal.post("/signin", Map.of("login", login, "password", password));
        assertThat(signedIn.statusCode()).as(signedIn.asString()).isEqualTo(303);
        portal.get("/").then().statusCode(200);
        return portal;
    }

    /** The first administrator of the test profile, signed in. */
    public static Portal admin() {
        Portal portal = signIn("admin", "admin-password-for-tests");
        portal.user = Api.admin();
        return portal;
    }

    private static Api.User apiUser(String username) {
        var json = Api.login(username, Api.PASSWORD, Api.randomClientAddress()).then().statusCode(200).extract()
                .jsonPath();
        return new Api.User(json.getString("user.id"), username, json.getString("user.email"), Api.PASSWORD,
                json.getString("access_token"), json.getString("refresh_token"));
    }

    /** The same account over the JSON API (null for {@link #anonymous}). */
    public Api.User user() {
        return user;
    }

    public String csrf() {
        return csrf;
    }

    public Map<String, String> cookies() {
        return Map.copyOf(cookies);
    }

    /** A request with this browser's cookies, not following redirects. */
    public RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    public Response get(String path) {
        return remember(request().accept("text/html").get(path));
    }

    /** A form post with the CSRF token added (unless the form has its own {@code _csrf}). */
    public Response post(String path, Map<String, ?> form) {
        Map<String, Object> fields = new LinkedHashMap<>(form);
        fields.putIfAbsent("_csrf", csrf);
        return remember(request().accept("text/html").contentType("application/x-www-form-urlencoded")
                .formParams(fields).post(path));
    }

    /** An htmx request: {@code HX-Request} and the CSRF header, as htmx sends them. */
    public Response htmx(String method, String path, Map<String, ?> form) {
        RequestSpecification spec = request().header("HX-Request", "true").header("X-CSRF-Token", csrf);
        if (!form.isEmpty()) {
            spec = spec.contentType("application/x-www-form-urlencoded").formParams(new LinkedHashMap<>(form));
        }
        return remember(spec.request(method, path));
    }

    private Response remember(Response response) {
        response.getDetailedCookies().asList().forEach(cookie -> {
            if (cookie.getMaxAge() == 0 || cookie.getValue().isEmpty()) {
                cookies.remove(cookie.getName());
            } else {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        });
        String contentType = response.getContentType();
        if (contentType != null && contentType.startsWith("text/html")) {
            Matcher matcher = CSRF.matcher(response.asString());
            if (matcher.find() && !matcher.group(1).isEmpty()) {
                csrf = matcher.group(1);
            }
        }
        return response;
    }
}
