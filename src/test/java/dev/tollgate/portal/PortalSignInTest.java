package dev.tollgate.portal;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Portal;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class PortalSignInTest {

    @Nested
    class Landing {

        @Test
        void shows_the_product_and_the_ways_in_to_an_anonymous_visitor() {
            Response landing = given().accept("text/html").get("/");

            assertThat(landing.statusCode()).isEqualTo(200);
            assertThat(landing.contentType()).startsWith("text/html");
            assertThat(landing.header("Cache-Control")).isEqualTo("no-store");
            assertThat(landing.asString()).contains("One key for every API and AI model", "href=\"/signin\"",
                    "href=\"/signup\"", "<meta name=\"csrf-token\"");
            Cookie csrf = landing.getDetailedCookie("tollgate_csrf");
            assertThat(csrf.isHttpOnly()).isTrue();
            assertThat(csrf.getSameSite()).isEqualTo("Lax");
        }

        @Test
        void serves_its_scripts_from_the_jar_not_a_cdn() {
            String landing = given().accept("text/html").get("/").asString();

            assertThat(landing).doesNotContain("https://").contains("/webjars/htmx.org/2.0.4/dist/htmx.min.js");
            given().get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").then().statusCode(200);
            given().get("/webjars/chart.js/4.4.9/dist/chart.umd.js").then().statusCode(200);
            given().get("/static/portal.css").then().statusCode(200);
            given().get("/static/portal.js").then().statusCode(200);
        }
    }

    @Nested
    class SigningUp {

        @Test
        void signs_a_provider_up_and_in_with_an_http_only_lax_session_cookie() {
            Portal browser = Portal.anonymous();
            String username = Api.uniqueName("prov");

            Response signedUp = browser.post("/signup", Map.of("email", username + "@example.com", "username",
                    username, "password", Api.PASSWORD, "role", "provider"));

            assertThat(signedUp.statusCode()).isEqualTo(303);
            assertThat(signedUp.header("Location")).endsWith("/provider");
            Cookie session = signedUp.getDetailedCookie("tollgate_session");
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Lax");
            assertThat(session.isSecured()).isFalse();
            assertThat(session.getValue()).doesNotContain(username);
            String home = browser.get("/").asString();
            assertThat(home).contains(username, "Sign out", "Welcome to Tollgate, " + username);
            Api.login(username, Api.PASSWORD, Api.randomClientAddress()).then().statusCode(200)
                    .body("user.roles", org.hamcrest.Matchers.hasItem("provider"));
        }

        @Test
        void marks_the_cookie_secure_behind_https() {
            Portal browser = Portal.anonymous();
            String username = Api.uniqueName("secure");

            Response signedUp = browser.request().header("X-Forwarded-Proto", "https")
                    .contentType("application/x-www-form-urlencoded")
                    .formParams(Map.of("_csrf", browser.csrf(), "email", username + "@example.com", "username",
                            username, "password", Api.PASSWORD))
                    .post("/signup");

            assertThat(signedUp.statusCode()).isEqualTo(303);
            assertThat(signedUp.getDetailedCookie("tollgate_session").isSecured()).isTrue();
        }

        @Test
        void shows_what_is_wrong_and_creates_nothing_on_bad_input() {
            Portal browser = Portal.anonymous();
            String username = Api.uniqueName("bad");

            Response refused = browser.post("/signup",
                    Map.of("email", "not-an-email", "username", username, "password", "short"));

            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.asString()).contains("must be a valid e-mail address", "must be 10 to 256 characters",
                    "value=\"" + username + "\"");
            assertThat(refused.getDetailedCookie("tollgate_session")).isNull();
            Api.login(username, "short", Api.randomClientAddress()).then().statusCode(401);
        }

        @Test
        void refuses_a_form_without_the_csrf_token_and_creates_nothing() {
            Portal browser = Portal.anonymous();
            String username = Api.uniqueName("csrf");
            Map<String, String> form = Map.of("email", username + "@example.com", "username", username, "password",
                    Api.PASSWORD);

            Response forged = browser.post("/signup", Map.of("_csrf", "forged", "email", username + "@example.com",
                    "username", username, "password", Api.PASSWORD));
            Response noCookie = given().redirects().follow(false).accept("text/html")
                    .contentType("application/x-www-form-urlencoded").formParams(form).post("/signup");

            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.asString()).contains("reload the page and try again");
            assertThat(noCookie.statusCode()).isEqualTo(403);
            Api.login(username, Api.PASSWORD, Api.randomClientAddress()).then().statusCode(401);
        }

        @Test
        void says_when_the_username_is_taken() {
            Api.User taken = Api.registerConsumer();
            Portal browser = Portal.anonymous();

            Response refused = browser.post("/signup", Map.of("email", Api.uniqueName("x") + "@example.com",
                    "username", taken.username(), "password", Api.PASSWORD));

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.asString()).contains("alert error");
        }
    }

    @Nested
    class SigningIn {

        @Test
        void signs_in_and_goes_back_to_the_page_asked_for() {
            Api.User user = Api.registerConsumer();
            Portal browser = Portal.anonymous();

            Response signedIn = browser.post("/signin",
                    Map.of("login", user.email(), "password", user.password(), "next", "/marketplace?q=x"));

            assertThat(signedIn.statusCode()).isEqualTo(303);
            assertThat(signedIn.header("Location")).endsWith("/marketplace?q=x");
            assertThat(browser.get("/").asString()).contains(user.username());
        }

        @Test
        void never_redirects_to_another_site() {
            Api.User user = Api.registerConsumer();

            for (String next : new String[]{"//evil.example", "https://evil.example/", "/\\evil.example"}) {
                Response signedIn = Portal.anonymous().post("/signin",
                        Map.of("login", user.username(), "password", user.password(), "next", next));
                assertThat(signedIn.header("Location")).as(next).endsWith("/dashboard");
            }
        }

        @Test
        void a_return_address_that_is_not_a_valid_path_falls_back_instead_of_failing() {
            Api.User user = Api.registerConsumer();

            Response signedIn = Portal.anonymous().post("/signin",
                    Map.of("login", user.username(), "password", user.password(), "next", "/marketplace?q=a b"));

            assertThat(signedIn.statusCode()).isEqualTo(303);
            assertThat(signedIn.header("Location")).endsWith("/dashboard");
        }

        @Test
        void a_page_that_needs_signing_in_comes_back_with_its_query() {
            Response refused = Portal.anonymous().get("/dashboard/keys?show=all");

            assertThat(refused.statusCode()).isEqualTo(303);
            assertThat(refused.header("Location")).endsWith("/signin?next=%2Fdashboard%2Fkeys%3Fshow%3Dall");
        }

        @Test
        void signing_in_again_ends_the_sign_in_the_browser_had() {
            Api.User user = Api.registerConsumer();
            Portal browser = Portal.anonymous();
            browser.post("/signin", Map.of("login", user.username(), "password", user.password()));
            Map<String, String> first = browser.cookies();
            browser.get("/").then().statusCode(200);

            Response again = browser.post("/signin", Map.of("login", user.username(), "password", user.password()));

            assertThat(again.statusCode()).isEqualTo(303);
            assertThat(browser.cookies().get("tollgate_session")).isNotEqualTo(first.get("tollgate_session"));
            assertThat(browser.get("/").asString()).contains("Sign out");
            given().cookies(first).accept("text/html").get("/").then().statusCode(200)
                    .body(containsString("href=\"/signin\""));
        }

        @Test
        void says_when_the_password_is_wrong() {
            Api.User user = Api.registerConsumer();
            Portal browser = Portal.anonymous();

            Response refused = browser.request().header("X-Forwarded-For", Api.randomClientAddress())
                    .contentType("application/x-www-form-urlencoded").accept("text/html")
                    .formParams(Map.of("_csrf", browser.csrf(), "login", user.username(), "password", "wrong one"))
                    .post("/signin");

            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.asString()).contains("Incorrect username or password.",
                    "value=\"" + user.username() + "\"");
            assertThat(refused.getDetailedCookie("tollgate_session")).isNull();
        }

        @Test
        void the_session_cookie_is_not_accepted_by_the_api() {
            Portal browser = Portal.signUp("consumer");

            given().cookies(browser.cookies()).get("/api/v1/auth/me").then().statusCode(401);
        }
    }

    @Nested
    class SigningOut {

        @Test
        void ends_the_session_so_the_old_cookie_no_longer_works() {
            Portal browser = Portal.signUp("consumer");
            Map<String, String> before = browser.cookies();

            Response out = browser.post("/signout", Map.of());

            assertThat(out.statusCode()).isEqualTo(303);
            assertThat(browser.cookies()).doesNotContainKey("tollgate_session");
            given().cookies(before).accept("text/html").get("/").then().statusCode(200)
                    .body(containsString("href=\"/signin\""));
        }

        @Test
        void a_suspended_user_is_signed_out_at_once() {
            Portal browser = Portal.signUp("consumer");
            assertThat(browser.get("/").asString()).contains("Sign out");

            Api.admin().as().body(Map.of("suspended", true)).put("/api/v1/admin/users/" + browser.user().id())
                    .then().statusCode(200);

            assertThat(browser.get("/").asString()).doesNotContain("Sign out").contains("href=\"/signin\"");
        }

        @Test
        void sign_out_needs_the_csrf_token() {
            Portal browser = Portal.signUp("consumer");

            Response forged = browser.post("/signout", Map.of("_csrf", "forged"));

            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(browser.get("/").asString()).contains("Sign out");
        }
    }

    @Nested
    class Errors {

        @Test
        void an_unknown_page_is_a_page_for_people_and_problem_json_for_clients() {
            Response page = given().accept("text/html").get("/no-such-page");
            Response problem = given().accept("application/json").get("/no-such-page");

            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.asString()).contains("404", "Not Found");
            assertThat(problem.statusCode()).isEqualTo(404);
            assertThat(problem.contentType()).startsWith("application/problem+json");
        }

        @Test
        void an_absurd_page_number_is_a_page_not_an_error() {
            Portal consumer = Portal.signUp("consumer");
            Portal admin = Portal.admin();

            assertThat(consumer.get("/billing?page=100000000").statusCode()).isEqualTo(200);
            assertThat(admin.get("/admin/users?page=2147483647").statusCode()).isEqualTo(200);
            assertThat(admin.get("/admin/featured?page=100000000").statusCode()).isEqualTo(200);
        }

        @Test
        void an_htmx_request_gets_an_alert_for_the_notice_area() {
            Portal browser = Portal.signUp("consumer");

            Response alert = browser.htmx("GET", "/no-such-page", Map.of());

            assertThat(alert.statusCode()).isEqualTo(404);
            assertThat(alert.header("HX-Retarget")).isEqualTo("#flash");
            assertThat(alert.asString()).contains("class=\"alert error\"").doesNotContain("<html");
        }
    }
}
