package dev.tollgate.accounts;

import java.util.Locale;
import java.util.Optional;

/** A user's platform plan (account tier), which later caps their hourly gateway calls. */
public enum Tier {
    FREE, PRO, ENTERPRISE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tier> parse(String id) {
        for (Tier tier : values()) {
            if (tier.id().equals(id)) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }
}
