package dev.tollgate.aiproxy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeOpenAi;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * What AI proxy tests share: models whose channels are local fake vendors, consumers with credit and a key, and the
 * official SDKs pointed at Tollgate. Prices are chosen so that one token costs whole micros: input 3 (per million
 * tokens, = 3 micros a token), cached input 1, output 15.
 */
final class AiFixtures {

    static final String UPSTREAM_KEY_OPENAI = "sk-upstream-openai-secret";
    static final String UPSTREAM_KEY_ANTHROPIC = "sk-ant-upstream-secret";

    private AiFixtures() {
    }

    static String tollgate() {
        return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    static Map<String, Object> openAiChannel(FakeOpenAi fake, String upstreamModel, int priority) {
        return channel("openai", fake.v1Url(), UPSTREAM_KEY_OPENAI, upstreamModel, priority);
    }

    static Map<String, Object> anthropicChannel(FakeAnthropic fake, String upstreamModel, int priority) {
        return channel("anthropic", fake.baseUrl(), UPSTREAM_KEY_ANTHROPIC, upstreamModel, priority);
    }

    static Map<String, Object> channel(String provider, String baseUrl, String key, String upstreamModel,
            int priority) {
        Map<String, Object> channel = new HashMap<>();
        channel.put("provider", provider);
        channel.put("base_url", baseUrl);
        channel.put("api_key", key);
        channel.put("upstream_model", upstreamModel);
        channel.put("priority", priority);
        return channel;
    }

    /** Creates an enabled model (unique name from {@code prefix}) served by the channels; returns its name. */
    @SafeVarargs
    static String model(String prefix, Map<String, Object>... channels) {
        return model(prefix, null, channels);
    }

    @SafeVarargs
    static String model(String prefix, Integer maxOutputTokens, Map<String, Object>... channels) {
        String name = Api.uniqueName(prefix);
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("pricing", Map.of("input_per_million", 3, "output_per_million", 15, "cached_input_per_million", 1));
        if (maxOutputTokens != null) {
            body.put("max_output_tokens", maxOutputTokens);
        }
        body.put("channels", new ArrayList<>(List.of(channels)));
        Api.admin().as().body(body).post("/api/v1/admin/models").then().statusCode(201);
        return name;
    }

    /** A consumer with {@code credit} and a key. */
    record Consumer(Api.User user, String key) {

        OpenAIClient openAi() {
            return OpenAIOkHttpClient.builder().baseUrl(tollgate() + "/v1").apiKey(key).maxRetries(0).build();
        }

        AnthropicClient anthropic() {
            return AnthropicOkHttpClient.builder().baseUrl(tollgate()).apiKey(key).maxRetries(0).build();
        }

        BigDecimal balance() {
            JsonPath json = user.as().get("/api/v1/users/me/credits").then().statusCode(200).extract().jsonPath()
                    .using(JsonPathConfig.jsonPathConfig()
                            .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
            return new BigDecimal(json.get("balance").toString());
        }
    }

    static Consumer consumer(String credit) {
        Api.User user = Api.registerConsumer();
        if (credit != null) {
            Api.grantCredits(user, credit);
        }
        String key = user.as().body(Map.of("name", "ai key")).post("/api/v1/api-keys").then().statusCode(201)
                .extract().path("key");
        return new Consumer(user, key);
    }

    /** Micros as a currency amount, e.g. 600 → 0.0006. */
    static BigDecimal micros(long micros) {
        return BigDecimal.valueOf(micros, 6);
    }
}
