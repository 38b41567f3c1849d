package dev.tollgate.catalog.web;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.catalog.Actor;

final class CatalogActors {

    private CatalogActors() {
    }

    static Actor of(CurrentUser user) {
        return new Actor(user.id(), user.has(Role.ADMIN));
    }
}
