package dev.tollgate.gateway;

import java.util.UUID;

/** A consumer account's tier (free, pro, enterprise) and whether it is suspended. */
public record AccountRule(UUID userId, String tier, boolean suspended) {
}
