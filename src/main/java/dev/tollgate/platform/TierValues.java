package dev.tollgate.platform;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A whole number per account tier, as operators write it: {@code tier:value,...} (e.g. the gateway's hourly caps,
 * {@code TOLLGATE_TIER_HOURLY_LIMITS}, or the monthly API generations, {@code TOLLGATE_GENERATION_LIMITS}). Tier names
 * are case-insensitive; a tier not listed gets the free tier's value, and 0 when that is not listed either.
 */
public final class TierValues {

    public static final String DEFAULT_TIER = "free";
    private final Map<String, Long> values;

    private TierValues(Map<String, Long> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * @param variable the setting's name, for the message
     * @throws IllegalArgumentException with a message fit for the operator when the text is malformed
     */
    public static TierValues parse(String variable, String text) {
        Map<String, Long> values = new HashMap<>();
        for (String part : text.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(variable + ": '" + entry + "' is not tier:limit");
            }
            String tier = entry.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            try {
                long value = Long.parseLong(entry.substring(colon + 1).trim());
                if (value < 0) {
                    throw new NumberFormatException();
                }
                values.put(tier, value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        variable + ": the limit of '" + tier + "' must be a whole number, 0 or more");
            }
        }
        return new TierValues(values);
    }

    /** The value of a tier; an unknown tier gets the free tier's. */
    public long of(String tier) {
        Long value = values.get(tier);
        return value != null ? value : values.getOrDefault(DEFAULT_TIER, 0L);
    }
}
