package dev.tollgate.gateway.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The hourly call cap of each account tier, parsed from {@code tier:limit,...}; 0 means no cap. */
final class TierLimits {

    static final String DEFAULT_TIER = "free";
    private final Map<String, Long> hourly;

    private TierLimits(Map<String, Long> hourly) {
        this.hourly = Map.copyOf(hourly);
    }

    /**
     * @throws IllegalArgumentException with a message fit for the operator when the text is malformed
     */
    static TierLimits parse(String text) {
        Map<String, Long> limits = new HashMap<>();
        for (String part : text.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("TOLLGATE_TIER_HOURLY_LIMITS: '" + entry + "' is not tier:limit");
            }
            String tier = entry.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            try {
                long limit = Long.parseLong(entry.substring(colon + 1).trim());
                if (limit < 0) {
                    throw new NumberFormatException();
                }
                limits.put(tier, limit);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "TOLLGATE_TIER_HOURLY_LIMITS: the limit of '" + tier + "' must be a whole number, 0 or more");
            }
        }
        return new TierLimits(limits);
    }

    /** The cap of a tier; an unknown tier gets the free tier's; 0 = none. */
    long hourlyLimit(String tier) {
        Long limit = hourly.get(tier);
        if (limit == null) {
            limit = hourly.getOrDefault(DEFAULT_TIER, 0L);
        }
        return limit;
    }
}
