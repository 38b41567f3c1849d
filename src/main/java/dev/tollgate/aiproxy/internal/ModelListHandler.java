package dev.tollgate.aiproxy.internal;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.aiproxy.AiState;
import dev.tollgate.aiproxy.ModelRoute;
import dev.tollgate.gateway.ConsumerKeys;
import dev.tollgate.gateway.GatewayState;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/models} (also {@code /api/v1/models}): the enabled models in OpenAI's list format, for any valid consumer key
 * ({@code Authorization: Bearer}, {@code X-API-Key} or Anthropic's {@code x-api-key}); a missing or refused key gets
 * 401 in OpenAI's error format. Data plane: reads the in-memory key and model snapshots only, on the event loop.
 */
@ApplicationScoped
class ModelListHandler implements Handler<RoutingContext> {

    static final String PATH = "/v1/models";

    private final AiState ai;
    private final GatewayState gateway;
    private final Clock clock;

    ModelListHandler(AiState ai, GatewayState gateway, Clock clock) {
        this.ai = ai;
        this.gateway = gateway;
        this.clock = clock;
    }

    void install(@Observes Router router) {
        router.get(PATH).order(-1_000).handler(this);
        router.get("/api" + PATH).order(-1_000).handler(this);
    }

    @Override
    public void handle(RoutingContext context) {
        ConsumerKeys.Check check = ConsumerKeys.check(context.request()::getHeader, gateway.keys(),
                gateway.accounts(), clock.millis());
        if (!check.accepted()) {
            AiFormat.CHAT.writeError(context, 401, check.refusal(), "invalid_api_key");
            return;
        }
        JsonArray data = new JsonArray();
        for (ModelRoute model : ai.models().sortedByName()) {
            if (!check.key().allowsModel(model.name())) {
                continue; // a key scoped to some models sees only those
            }
            data.add(new JsonObject().put("id", model.name()).put("object", "model")
                    .put("created", model.createdEpochSeconds()).put("owned_by", "tollgate"));
        }
        context.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
    }
}
