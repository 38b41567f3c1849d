package dev.tollgate.models.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.models.ModelCatalogue;

@Path("/api/v1/ai/models")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "jwt")
@Tag(name = "ai", description = "AI models for users: the catalogue and fine-tuning jobs")
public class AiModelCatalogueResource {

    private final ModelCatalogue catalogue;
    private final AiCallers callers;

    AiModelCatalogueResource(ModelCatalogue catalogue, AiCallers callers) {
        this.catalogue = catalogue;
        this.callers = callers;
    }

    @GET
    @APIResponse(responseCode = "200", description = "The models by id; the total is in X-Total-Count", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ModelCatalogue.Entry.class)))
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listAiModels", summary = "The AI models you can call", description = "The enabled "
            + "models: id is the name to send as model to /v1. For a signed-in user (access token) or with a "
            + "consumer API key (Authorization: Bearer tg_… or X-API-Key). Prices are currency units per million "
            + "tokens; cached_input_per_million null means cached input costs as input.")
    public Response list(@Context HttpHeaders headers,
            @Parameter(description = "Only models with a channel of this provider: openai, anthropic or "
                    + "openai_compatible") @QueryParam("provider") String provider,
            @Parameter(description = "Only models of this type: chat or embedding") @QueryParam("model_type") String modelType,
            @QueryParam("skip") @DefaultValue("0") @Min(value = 0, message = "must be 0 or more") int skip,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be 1 to 1000") @Max(value = 1000, message = "must be 1 to 1000") int limit) {
        callers.requireUserOrKey(headers);
        ModelCatalogue.Page page = catalogue.list(provider, modelType, skip, limit);
        return Response.ok(page.models()).header("X-Total-Count", page.total()).build();
    }
}
