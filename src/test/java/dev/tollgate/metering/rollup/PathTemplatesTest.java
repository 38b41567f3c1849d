package dev.tollgate.metering.rollup;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PathTemplatesTest {

    private static final UUID API = UUID.randomUUID();
    private static final PathTemplates TEMPLATES = PathTemplates.of(Map.of(API, List.of("GET /pets/{petId}",
            "GET /pets/mine", "get /pets", "POST /pets", "GET /pets/{petId}/photos/{photoId}", "GET /")));

    @Test
    void a_call_gets_the_template_of_its_method_and_shape_literal_segments_first() {
        assertThat(TEMPLATES.match(API, "GET", "/pets/42")).isEqualTo("GET /pets/{petId}");
        assertThat(TEMPLATES.match(API, "GET", "/pets/mine")).isEqualTo("GET /pets/mine");
        assertThat(TEMPLATES.match(API, "GET", "/pets")).isEqualTo("GET /pets");
        assertThat(TEMPLATES.match(API, "POST", "/pets")).isEqualTo("POST /pets");
        assertThat(TEMPLATES.match(API, "GET", "/pets/1/photos/2")).isEqualTo("GET /pets/{petId}/photos/{photoId}");
        assertThat(TEMPLATES.match(API, "GET", "/")).isEqualTo("GET /");
    }

    @Test
    void no_template_fits_other_methods_shapes_empty_parameters_or_other_apis() {
        assertThat(TEMPLATES.match(API, "DELETE", "/pets/42")).isNull();
        assertThat(TEMPLATES.match(API, "GET", "/pets/42/toys")).isNull();
        assertThat(TEMPLATES.match(API, "GET", "/pets/")).isNull();
        assertThat(TEMPLATES.match(API, "GET", "/owners")).isNull();
        assertThat(TEMPLATES.match(UUID.randomUUID(), "GET", "/pets/42")).isNull();
    }
}
