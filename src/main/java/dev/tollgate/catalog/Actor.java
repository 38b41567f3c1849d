package dev.tollgate.catalog;

import java.util.UUID;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.platform.ProblemException;

/** Who is acting on the catalog: a user, and whether they are an admin (who may act on any API). */
public record Actor(UUID userId, boolean admin) {

    /** The signed-in user. */
    public static Actor of(CurrentUser user) {
        return new Actor(user.id(), user.has(Role.ADMIN));
    }

    /**
     * The signed-in user, who must be a provider or an admin to publish APIs.
     *
     * @throws ProblemException 403 otherwise
     */
    public static Actor provider(CurrentUser user) {
        if (!user.has(Role.PROVIDER) && !user.has(Role.ADMIN)) {
            throw ProblemException.forbidden(
                    "Only providers publish APIs; become one with PUT /api/v1/users/me {\"become_provider\": true}.");
        }
        return of(user);
    }
}
