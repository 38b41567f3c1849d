package dev.tollgate.hosted.web;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.catalog.Actor;
import dev.tollgate.platform.ProblemException;

/** The signed-in user as the catalog's {@link Actor}, and the provider check for creating hosted APIs. */
final class HostedActors {

    private HostedActors() {
    }

    static Actor of(CurrentUser user) {
        return new Actor(user.id(), user.has(Role.ADMIN));
    }

    static Actor provider(CurrentUser user) {
        if (!user.has(Role.PROVIDER) && !user.has(Role.ADMIN)) {
            throw ProblemException.forbidden("Only providers publish APIs; become one with PUT /api/v1/users/me"
                    + " {\"become_provider\": true}.");
        }
        return of(user);
    }
}
