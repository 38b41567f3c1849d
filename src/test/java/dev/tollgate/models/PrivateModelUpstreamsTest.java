package dev.tollgate.models;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.PrivateUpstreamsTest;
import dev.tollgate.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** With private upstreams not allowed (the production default), a model channel may not point inwards. */
@QuarkusTest
@TestProfile(PrivateUpstreamsTest.PublicUpstreamsOnly.class)
class PrivateModelUpstreamsTest {

    @Test
    void a_channel_on_a_loopback_or_private_address_is_422() {
        Api.User admin = Api.admin();
        for (String url : List.of("http://127.0.0.1:11434/v1", "http://10.1.2.3/v1", "http://[::1]:8000/v1")) {
            admin.as().body(Models.model(Api.uniqueName("local"), List.of(Models.channel("openai_compatible", url,
                    null, "llama3")))).post("/api/v1/admin/models").then().statusCode(422)
                    .body("errors[0].field", equalTo("channels[0].base_url"))
                    .body("errors[0].message", containsString("TOLLGATE_ALLOW_PRIVATE_UPSTREAMS"));
        }
    }
}
