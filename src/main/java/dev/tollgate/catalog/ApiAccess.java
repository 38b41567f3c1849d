package dev.tollgate.catalog;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.store.ApiEntity;
import dev.tollgate.catalog.store.CatalogStore;
import dev.tollgate.platform.ProblemException;

/**
 * Who may see and who may change an API: everyone sees public APIs, owners and admins see and change their own (any,
 * for admins). Others get 404 for a private API and 403 for changing a public one. Runs in the caller's transaction.
 */
@ApplicationScoped
class ApiAccess {

    private final CatalogStore store;

    ApiAccess(CatalogStore store) {
        this.store = store;
    }

    ApiEntity visible(UUID id, Actor actor) {
        ApiEntity api = store.api(id).orElseThrow(() -> notFound(id));
        if (!mayManage(api, actor) && !"public".equals(api.visibility)) {
            throw notFound(id);
        }
        return api;
    }

    /** The API, if the actor may manage it; {@code action} completes "Only the API's owner or an admin may …". */
    ApiEntity managed(UUID id, Actor actor, String action) {
        ApiEntity api = visible(id, actor);
        if (!mayManage(api, actor)) {
            throw ProblemException.forbidden("Only the API's owner or an admin may " + action + ".");
        }
        return api;
    }

    static boolean mayManage(ApiEntity api, Actor actor) {
        return actor.admin() || api.ownerId.equals(actor.userId());
    }

    static ProblemException notFound(UUID id) {
        return ProblemException.notFound("No API with id " + id + ".");
    }
}
