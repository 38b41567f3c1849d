package dev.tollgate.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.aiproxy.AiProvider;
import dev.tollgate.aiproxy.AiState;
import dev.tollgate.aiproxy.ModelRoute;
import dev.tollgate.platform.SecretBox;
import dev.tollgate.testing.Api;
import io.agroal.api.AgroalDataSource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/** The admin models API over HTTP and what it publishes to the AI proxy, run on each database by the subclasses. */
abstract class ModelsAdminScenarios {

    private static final String BASE = "/api/v1/admin/models";

    @Inject
    AgroalDataSource database;

    @Inject
    AiState ai;

    @Inject
    SecretBox secrets;

    private static String upstreamKey() {
        return "sk-test-" + UUID.randomUUID();
    }

    @Test
    void creates_lists_reads_changes_and_deletes_a_model_and_the_proxy_follows_within_each_call() throws SQLException {
        Api.User admin = Api.admin();
        String name = Api.uniqueName("gpt-4o-mini");
        String openAiKey = upstreamKey();
        String anthropicKey = upstreamKey();
        List<Map<String, Object>> channels = List.of(
                Models.channel("openai", "http://127.0.0.1:9/v1", openAiKey, "gpt-4o-mini"),
                withPriority(Models.channel("anthropic", "https://api.anthropic.example", anthropicKey,
                        "claude-3-5-haiku"), -1, 5));
        io.restassured.response.Response response = admin.as().body(Models.model(name, channels)).post(BASE);
        JsonPath created = response.then().statusCode(201)
                .header("Location", equalTo(BASE + "/" + response.path("id")))
                .body("name", equalTo(name)).body("display_name", equalTo("Model " + name))
                .body("enabled", equalTo(true))
                .body("pricing.input_per_million", equalTo(0.15f))
                .body("pricing.output_per_million", equalTo(0.6f))
                .body("pricing.cached_input_per_million", equalTo(0.075f))
                .body("max_output_tokens", equalTo(16384))
                .body("channels[0].provider", equalTo("openai"))
                .body("channels[0].base_url", equalTo("http://127.0.0.1:9/v1"))
                .body("channels[0].api_key_set", equalTo(true))
                .body("channels[0].upstream_model", equalTo("gpt-4o-mini"))
                .body("channels[0].priority", equalTo(0)).body("channels[0].weight", equalTo(1))
                .body("channels[1].priority", equalTo(-1)).body("channels[1].weight", equalTo(5))
                .extract().jsonPath();
        String id = created.getString("id");

        // in force on the data plane when the call returned: prices in micros, keys decrypted, by priority
        ModelRoute route = ai.models().byName().get(name);
        assertThat(route).isNotNull();
        assertThat(route.id()).hasToString(id);
        assertThat(route.inputMicrosPerMillion()).isEqualTo(150_000);
        assertThat(route.outputMicrosPerMillion()).isEqualTo(600_000);
        assertThat(route.cachedInputMicrosPerMillion()).isEqualTo(75_000);
        assertThat(route.maxOutputTokens()).isEqualTo(16384);
        assertThat(route.channels()).extracting(ModelRoute.Channel::provider)
                .containsExactly(AiProvider.ANTHROPIC, AiProvider.OPENAI);
        assertThat(route.channels()).extracting(ModelRoute.Channel::apiKey).containsExactly(anthropicKey, openAiKey);
        assertThat(route.channels().get(1).upstream().port()).isEqualTo(9);
        assertThat(route.channels().toString()).doesNotContain(openAiKey).doesNotContain(anthropicKey);

        admin.as().get(BASE + "/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("channels.size()", equalTo(2));
        admin.as().queryParam("limit", 1000).get(BASE).then().statusCode(200).body("name", hasItem(name));

        // change: rename, new prices without a cached price, one channel only
        String renamed = name + ".v2";
        admin.as().body(Map.of("name", renamed, "pricing", Map.of("input_per_million", 1, "output_per_million",
                2.000001), "channels",
                List.of(Models.channel("openai_compatible", "http://127.0.0.1:11434/v1", null,
                        "llama3"))))
                .put(BASE + "/" + id).then().statusCode(200)
                .body("name", equalTo(renamed)).body("display_name", equalTo("Model " + name))
                .body("pricing.cached_input_per_million", nullValue())
                .body("channels.size()", equalTo(1)).body("channels[0].api_key_set", equalTo(false));
        assertThat(ai.models().byName()).doesNotContainKey(name);
        ModelRoute changed = ai.models().byName().get(renamed);
        assertThat(changed.outputMicrosPerMillion()).isEqualTo(2_000_001);
        assertThat(changed.cachedInputMicrosPerMillion()).isEqualTo(-1);
        assertThat(changed.channels()).singleElement().satisfies(c -> {
            assertThat(c.provider()).isEqualTo(AiProvider.OPENAI_COMPATIBLE);
            assertThat(c.apiKey()).isNull();
        });

        // disabled: off the data plane, still administered
        admin.as().body(Map.of("enabled", false)).put(BASE + "/" + id).then().statusCode(200)
                .body("enabled", equalTo(false));
        assertThat(ai.models().byName()).doesNotContainKey(renamed);
        admin.as().body(Map.of("enabled", true)).put(BASE + "/" + id).then().statusCode(200);
        assertThat(ai.models().byName()).containsKey(renamed);

        admin.as().delete(BASE + "/" + id).then().statusCode(204);
        assertThat(ai.models().byName()).doesNotContainKey(renamed);
        admin.as().get(BASE + "/" + id).then().statusCode(404).contentType("application/problem+json");
        assertThat(channelRows(UUID.fromString(id))).isEmpty();
    }

    @Test
    void the_upstream_key_is_never_returned_and_the_database_holds_only_its_ciphertext() throws SQLException {
        Api.User admin = Api.admin();
        String name = Api.uniqueName("sealed");
        String key = upstreamKey();
        String created = admin.as().body(Models.model(name, List.of(Models.channel("openai",
                "http://127.0.0.1:9/v1", key, "gpt-4o")))).post(BASE).then().statusCode(201).extract().asString();
        String id = JsonPath.from(created).getString("id");
        List<String> bodies = new ArrayList<>(List.of(created));
        bodies.add(admin.as().get(BASE + "/" + id).then().statusCode(200).extract().asString());
        bodies.add(admin.as().queryParam("limit", 1000).get(BASE).then().statusCode(200).extract().asString());
        bodies.add(admin.as().body(Map.of("display_name", "Renamed")).put(BASE + "/" + id).then().statusCode(200)
                .extract().asString());
        for (String body : bodies) {
            assertThat(body).doesNotContain(key).doesNotContain("sk-test-").doesNotContain("\"api_key\"");
        }

        List<String> stored = channelRows(UUID.fromString(id));
        UUID channelId = UUID.fromString(JsonPath.from(created).getString("channels[0].id"));
        assertThat(stored).singleElement().satisfies(sealed -> {
            assertThat(sealed).isNotEqualTo(key).doesNotContain(key).doesNotContain("sk-test");
            assertThat(secrets.open(sealed, AiModels.sealedFor(channelId))).isEqualTo(key);
            // sealed for this channel only: copied to another channel's row it does not open
            assertThatThrownBy(() -> secrets.open(sealed, AiModels.sealedFor(UUID.randomUUID())))
                    .isInstanceOf(SecretBox.TamperedException.class);
        });
    }

    @Test
    void a_channel_that_gives_its_id_without_a_key_keeps_its_stored_key() throws SQLException {
        Api.User admin = Api.admin();
        String name = Api.uniqueName("keep");
        String firstKey = upstreamKey();
        String secondKey = upstreamKey();
        JsonPath created = admin.as().body(Models.model(name, List.of(
                Models.channel("openai", "http://127.0.0.1:9/v1", firstKey, "gpt-4o"),
                Models.channel("anthropic", "http://127.0.0.1:10/", secondKey, "claude")))).post(BASE).then()
                .statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        String keptId = created.getString("channels[0].id");
        String sealedBefore = channelRows(UUID.fromString(id)).get(0);

        Map<String, Object> kept = Models.channel("openai", "http://127.0.0.1:9/v2", null, "gpt-4o-2024");
        kept.put("id", keptId);
        String newKey = upstreamKey();
        JsonPath changed = admin.as().body(Map.of("channels", List.of(kept, Models.channel("openai",
                "http://127.0.0.1:12/v1", newKey, "gpt-4o")))).put(BASE + "/" + id).then().statusCode(200)
                .body("channels.size()", equalTo(2))
                .body("channels[0].id", equalTo(keptId)).body("channels[0].api_key_set", equalTo(true))
                .body("channels[0].base_url", equalTo("http://127.0.0.1:9/v2"))
                .extract().jsonPath();
        assertThat(changed.getString("channels[1].id")).isNotIn(keptId, created.getString("channels[1].id"));

        List<String> stored = channelRows(UUID.fromString(id));
        assertThat(stored.get(0)).isEqualTo(sealedBefore);
        ModelRoute route = ai.models().byName().get(name);
        assertThat(route.channels()).extracting(ModelRoute.Channel::apiKey).containsExactly(firstKey, newKey);
        assertThat(route.channels().get(0).upstreamModel()).isEqualTo("gpt-4o-2024");

        // a new key for the kept channel replaces the stored one
        String rotated = upstreamKey();
        kept.put("api_key", rotated);
        admin.as().body(Map.of("channels", List.of(kept))).put(BASE + "/" + id).then().statusCode(200)
                .body("channels.size()", equalTo(1));
        assertThat(ai.models().byName().get(name).channels()).extracting(ModelRoute.Channel::apiKey)
                .containsExactly(rotated);
    }

    @Test
    void a_duplicate_name_is_409_on_create_and_on_rename() {
        Api.User admin = Api.admin();
        String name = Api.uniqueName("dup");
        String other = Api.uniqueName("other");
        admin.as().body(Models.model(name, List.of(Models.channel("openai", "http://127.0.0.1:9/v1", upstreamKey(),
                "m")))).post(BASE).then().statusCode(201);
        String otherId = admin.as().body(Models.model(other, List.of(Models.channel("openai",
                "http://127.0.0.1:9/v1", upstreamKey(), "m")))).post(BASE).then().statusCode(201).extract()
                .path("id");

        admin.as().body(Models.model(name, List.of(Models.channel("openai", "http://127.0.0.1:9/v1", upstreamKey(),
                "m")))).post(BASE).then().statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409));
        admin.as().body(Map.of("name", name)).put(BASE + "/" + otherId).then().statusCode(409);
        assertThat(ai.models().byName().get(other)).isNotNull();
    }

    @Test
    void invalid_input_is_422_naming_each_field_and_changes_nothing() {
        Api.User admin = Api.admin();
        String name = Api.uniqueName("bad");
        Map<String, Object> badChannel = new HashMap<>();
        badChannel.put("provider", "azure");
        badChannel.put("base_url", "ftp://example.com");
        badChannel.put("upstream_model", "");
        badChannel.put("priority", 2_000_000);
        badChannel.put("weight", 0);
        Map<String, Object> body = new HashMap<>(Models.model("no spaces allowed", List.of(badChannel,
                Models.channel("anthropic", "http://127.0.0.1:9", null, "claude"))));
        body.put("display_name", "");
        body.put("max_output_tokens", 0);
        body.put("pricing", Map.of("input_per_million", -1, "output_per_million", 0.0000001));
        JsonPath problem = admin.as().body(body).post(BASE).then().statusCode(422)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getList("errors.field", String.class)).containsExactlyInAnyOrder("name", "display_name",
                "max_output_tokens", "pricing.input_per_million", "pricing.output_per_million",
                "channels[0].provider", "channels[0].base_url", "channels[0].upstream_model",
                "channels[0].priority", "channels[0].weight", "channels[1].api_key");

        admin.as().body(Map.of("name", name)).post(BASE).then().statusCode(422)
                .body("errors.field", hasItem("pricing"));
        Map<String, Object> enabledWithoutChannels = Models.model(name, List.of());
        admin.as().body(enabledWithoutChannels).post(BASE).then().statusCode(422)
                .body("errors[0].field", equalTo("channels"));
        admin.as().body("{\"name\": \"x\", \"pricing\": {\"input_per_million\": 1, \"output_per_million\": 1},"
                + " \"colour\": \"red\"}").post(BASE).then().statusCode(422);

        // an update that fails leaves the model as it was
        String key = upstreamKey();
        String id = admin.as().body(Models.model(name, List.of(Models.channel("openai", "http://127.0.0.1:9/v1", key,
                "m")))).post(BASE).then().statusCode(201).extract().path("id");
        Map<String, Object> foreign = Models.channel("openai", "http://127.0.0.1:9/v1", null, "m");
        foreign.put("id", UUID.randomUUID().toString());
        admin.as().body(Map.of("channels", List.of(foreign))).put(BASE + "/" + id).then().statusCode(422)
                .body("errors[0].field", equalTo("channels[0].id"));
        admin.as().body(Map.of("channels", List.of())).put(BASE + "/" + id).then().statusCode(422)
                .body("errors[0].field", equalTo("channels"));
        admin.as().get(BASE + "/" + id).then().statusCode(200).body("channels.size()", equalTo(1));
        assertThat(ai.models().byName().get(name).channels()).extracting(ModelRoute.Channel::apiKey)
                .containsExactly(key);
        assertThat(ai.models().byName()).doesNotContainKey("no spaces allowed");
    }

    @Test
    void unknown_ids_are_404_and_only_admins_may_manage_models() {
        Api.User admin = Api.admin();
        String unknown = BASE + "/" + UUID.randomUUID();
        admin.as().get(unknown).then().statusCode(404).contentType("application/problem+json");
        admin.as().body(Map.of("enabled", false)).put(unknown).then().statusCode(404);
        admin.as().delete(unknown).then().statusCode(404);

        Api.User provider = Api.register("provider");
        String name = Api.uniqueName("forbidden");
        provider.as().body(Models.model(name, List.of(Models.channel("openai", "http://127.0.0.1:9/v1",
                upstreamKey(), "m")))).post(BASE).then().statusCode(403).contentType("application/problem+json");
        provider.as().get(BASE).then().statusCode(403);
        given().contentType(ContentType.JSON).get(BASE).then().statusCode(401);
        assertThat(ai.models().byName()).doesNotContainKey(name);
    }

    @Test
    void model_type_is_chat_by_default_can_be_embedding_and_anything_else_is_422() {
        Api.User admin = Api.admin();
        Map<String, Object> body = Models.model(Api.uniqueName("typed"), List.of(Models.channel("openai",
                "http://127.0.0.1:9/v1", upstreamKey(), "m")));
        String id = admin.as().body(body).post(BASE).then().statusCode(201).body("model_type", equalTo("chat"))
                .extract().path("id");
        admin.as().body(Map.of("model_type", "embedding")).put(BASE + "/" + id).then().statusCode(200)
                .body("model_type", equalTo("embedding"));
        admin.as().body(Map.of("model_type", "image")).put(BASE + "/" + id).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("model_type"));
        admin.as().get(BASE + "/" + id).then().statusCode(200).body("model_type", equalTo("embedding"));
        Map<String, Object> bad = new HashMap<>(body);
        bad.put("name", Api.uniqueName("typed"));
        bad.put("model_type", "Chat");
        admin.as().body(bad).post(BASE).then().statusCode(422).body("errors[0].field", equalTo("model_type"));
        given().contentType(ContentType.JSON).queryParam("limit", 1000).auth().oauth2(admin.accessToken()).get(BASE)
                .then().statusCode(200).body("name", org.hamcrest.Matchers.not(hasItem(bad.get("name"))));
    }

    @Test
    void the_ai_catalogue_lists_enabled_models_for_users_and_consumer_keys_filtered_by_provider_and_type() {
        Api.User admin = Api.admin();
        String key = upstreamKey();
        String chat = Api.uniqueName("cat-chat");
        String embedding = Api.uniqueName("cat-embed");
        String claude = Api.uniqueName("cat-claude");
        String off = Api.uniqueName("cat-off");
        Map<String, Object> both = Models.model(chat, List.of(
                withPriority(Models.channel("openai", "http://127.0.0.1:9/v1", key, "gpt-4o-mini"), 1, 1),
                withPriority(Models.channel("anthropic", "http://127.0.0.1:9", key, "claude"), 0, 1),
                withPriority(Models.channel("openai_compatible", "http://127.0.0.1:9/v1", null, "m"), 2, 1)));
        admin.as().body(both).post(BASE).then().statusCode(201);
        Map<String, Object> vectors = new HashMap<>(Models.model(embedding, List.of(Models.channel("openai",
                "http://127.0.0.1:9/v1", key, "text-embedding-3-small"))));
        vectors.put("model_type", "embedding");
        vectors.put("pricing", Map.of("input_per_million", 0.02, "output_per_million", 0));
        vectors.remove("max_output_tokens");
        admin.as().body(vectors).post(BASE).then().statusCode(201);
        admin.as().body(Models.model(claude, List.of(Models.channel("anthropic", "http://127.0.0.1:9", key,
                "claude")))).post(BASE).then().statusCode(201);
        Map<String, Object> disabled = new HashMap<>(Models.model(off, List.of(Models.channel("openai",
                "http://127.0.0.1:9/v1", key, "m"))));
        disabled.put("enabled", false);
        admin.as().body(disabled).post(BASE).then().statusCode(201);

        Api.User user = Api.registerConsumer();
        io.restassured.response.Response all = user.as().queryParam("limit", 1000).get("/api/v1/ai/models");
        String body = all.then().statusCode(200).extract().asString();
        assertThat(body).doesNotContain(key).doesNotContain("127.0.0.1").doesNotContain("api_key");
        JsonPath json = JsonPath.from(body);
        List<String> ids = json.getList("id", String.class);
        assertThat(ids).contains(chat, embedding, claude).doesNotContain(off).isSorted();
        assertThat(Long.parseLong(all.header("X-Total-Count"))).isEqualTo(ids.size());
        Map<String, Object> entry = json.getMap("find { it.id == '" + chat + "' }");
        assertThat(entry).containsOnlyKeys("id", "display_name", "model_type", "providers", "pricing",
                "max_output_tokens").containsEntry("display_name", "Model " + chat)
                .containsEntry("model_type", "chat").containsEntry("max_output_tokens", 16384)
                .containsEntry("providers", List.of("anthropic", "openai", "openai_compatible"))
                .containsEntry("pricing", Map.of("input_per_million", 0.15f, "output_per_million", 0.6f,
                        "cached_input_per_million", 0.075f));
        Map<String, Object> vector = json.getMap("find { it.id == '" + embedding + "' }");
        assertThat(vector).containsEntry("model_type", "embedding").containsEntry("max_output_tokens", null);
        assertThat((Map<String, Object>) vector.get("pricing")).containsEntry("cached_input_per_million", null);

        assertThat(catalogue(user, "provider", "anthropic")).contains(chat, claude).doesNotContain(embedding, off);
        assertThat(catalogue(user, "provider", "openai_compatible")).contains(chat).doesNotContain(claude, embedding);
        assertThat(catalogue(user, "model_type", "embedding")).contains(embedding).doesNotContain(chat, claude);
        assertThat(given().auth().oauth2(user.accessToken()).queryParam("provider", "openai")
                .queryParam("model_type", "chat").queryParam("limit", 1000).get("/api/v1/ai/models").then()
                .statusCode(200).extract().jsonPath().getList("id", String.class)).contains(chat)
                .doesNotContain(claude, embedding);

        // a consumer key works too, in either header
        String consumerKey = user.as().body(Map.of("name", "catalogue")).post("/api/v1/api-keys").then()
                .statusCode(201).extract().path("key");
        given().header("X-API-Key", consumerKey).get("/api/v1/ai/models?limit=1000").then().statusCode(200)
                .body("id", hasItem(chat));
        given().header("Authorization", "Bearer " + consumerKey).get("/api/v1/ai/models?limit=1000").then()
                .statusCode(200).body("id", hasItem(claude));
    }

    @Test
    void the_ai_catalogue_refuses_unknown_filters_and_callers_without_a_token_or_key() {
        Api.User user = Api.registerConsumer();
        user.as().queryParam("provider", "azure").queryParam("model_type", "image").get("/api/v1/ai/models").then()
                .statusCode(422).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("provider", "model_type"));
        user.as().queryParam("limit", 0).get("/api/v1/ai/models").then().statusCode(422);
        given().get("/api/v1/ai/models").then().statusCode(401).contentType("application/problem+json");
        given().header("X-API-Key", "tg_not-a-key").get("/api/v1/ai/models").then().statusCode(401)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString(
                        "not valid"));
        given().header("Authorization", "Bearer tg_not-a-key").get("/api/v1/ai/models").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").get("/api/v1/ai/models").then().statusCode(401)
                .contentType("application/problem+json");
    }

    private static List<String> catalogue(Api.User user, String filter, String value) {
        return user.as().queryParam(filter, value).queryParam("limit", 1000).get("/api/v1/ai/models").then()
                .statusCode(200).extract().jsonPath().getList("id", String.class);
    }

    private static Map<String, Object> withPriority(Map<String, Object> channel, int priority, int weight) {
        channel.put("priority", priority);
        channel.put("weight", weight);
        return channel;
    }

    /** The stored (sealed) keys of the model's channels, in the order given. */
    private List<String> channelRows(UUID modelId) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select api_key_sealed from ai_model_channels where model_id = ? order by position")) {
            statement.setObject(1, modelId);
            List<String> keys = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
            return keys;
        }
    }
}
