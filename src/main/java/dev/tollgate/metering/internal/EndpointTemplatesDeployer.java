package dev.tollgate.metering.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.OpenApiImport;
import dev.tollgate.metering.rollup.UsageRollups;
import dev.tollgate.platform.ChangeFeed;
import io.quarkus.runtime.StartupEvent;

/**
 * Gives the usage rollups the path templates of the APIs' imported endpoints at start-up and on every catalog change,
 * so that calls are rolled up by the operation they reached ({@code GET /pets/{petId}}).
 */
@ApplicationScoped
class EndpointTemplatesDeployer {

    private final ChangeFeed changes;
    private final OpenApiImport openApi;
    private final UsageRollups rollups;

    EndpointTemplatesDeployer(ChangeFeed changes, OpenApiImport openApi, UsageRollups rollups) {
        this.changes = changes;
        this.openApi = openApi;
        this.rollups = rollups;
    }

    void start(@Observes StartupEvent ignored) {
        changes.subscribe(ApiCatalog.TOPIC, version -> rollups.useEndpointTemplates(openApi.templates()));
    }
}
