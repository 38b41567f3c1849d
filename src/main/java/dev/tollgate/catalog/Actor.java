package dev.tollgate.catalog;

import java.util.UUID;

/** Who is acting on the catalog: a user, and whether they are an admin (who may act on any API). */
public record Actor(UUID userId, boolean admin) {
}
