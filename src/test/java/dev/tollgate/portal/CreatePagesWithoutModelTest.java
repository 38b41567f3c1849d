package dev.tollgate.portal;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Portal;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code TOLLGATE_GENERATOR_MODEL} (the default test configuration): the create pages and the assistant say
 * how to configure a model and start nothing; templates deploy without one.
 */
@QuarkusTest
class CreatePagesWithoutModelTest {

    @Test
    void the_create_page_says_how_to_configure_the_generator_model_and_starts_nothing() {
        Portal provider = Portal.signUp("provider");
        Api.grantCredits(provider.user(), "1");
        String page = provider.get("/create").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"model-problem\"").contains("an admin sets TOLLGATE_GENERATOR_MODEL")
                .contains("No generations yet");

        Response refused = provider.post("/create", Map.of("prompt", "Cat facts by index"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.asString()).contains("id=\"create-error\"")
                .contains("No generator model is configured — an admin sets TOLLGATE_GENERATOR_MODEL")
                .contains(">Cat facts by index</textarea>");
        provider.user().as().get("/api/v1/generate").then().statusCode(200)
                .body("jobs.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void a_template_deploys_without_a_model_as_version_one() {
        Portal provider = Portal.signUp("provider");
        String page = provider.get("/create").then().statusCode(200).extract().asString();
        String template = provider.user().as().get("/api/v1/templates").then().statusCode(200).extract().jsonPath()
                .getString("[0].id");
        assertThat(page).contains("id=\"template-" + template + "\"");

        Response missingName = provider.post("/create/templates", Map.of("template", template, "name", ""));
        assertThat(missingName.statusCode()).isEqualTo(422);
        assertThat(missingName.asString()).contains("name: is required");

        String name = Api.uniqueName("From template");
        // the test profile gives the sandbox 1 s to load and test the code: the first loads of a cold engine on a
        // busy machine can take longer, and a refused deploy stores nothing, so it may be tried again
        Response deployed = null;
        for (int attempt = 0; attempt < 3 && (deployed == null || deployed.statusCode() != 303); attempt++) {
            deployed = provider.post("/create/templates", Map.of("template", template, "name", name));
            if (deployed.statusCode() != 303) {
                assertThat(deployed.asString()).contains("The template could not be deployed");
            }
        }
        assertThat(deployed.statusCode()).as(deployed.asString()).isEqualTo(303);
        String apiPath = deployed.header("Location").replaceFirst("^https?://[^/]+", "");
        assertThat(apiPath).startsWith("/create/apis/");
        String apiPage = provider.get(apiPath).then().statusCode(200).extract().asString();
        assertThat(apiPage).contains("Template deployed").contains(name).contains("id=\"version-1\" class=\"active\"")
                .contains("<td>template</td>").contains("class=\"code-view js\"");

        // suggestions need the model: the page says so
        Response suggestions = provider.htmx("POST", apiPath + "/suggestions", Map.of());
        assertThat(suggestions.statusCode()).isEqualTo(503);
        assertThat(suggestions.asString()).contains("an admin sets TOLLGATE_GENERATOR_MODEL");
    }

    @Test
    void the_assistant_panel_says_no_model_is_configured() {
        Portal user = Portal.signUp("consumer");
        Api.grantCredits(user.user(), "1");
        String panel = user.htmx("GET", "/create/assistant", Map.of()).then().statusCode(200).extract().asString();
        assertThat(panel).contains("id=\"assistant-model-problem\"")
                .contains("an admin sets TOLLGATE_GENERATOR_MODEL");
        Response refused = user.htmx("POST", "/create/assistant/messages", Map.of("message", "Hello"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.asString()).contains("id=\"assistant-error\"")
                .contains("No AI model is configured for the assistant — an admin sets TOLLGATE_GENERATOR_MODEL");
        user.user().as().get("/api/v1/assistant/conversations").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }
}
