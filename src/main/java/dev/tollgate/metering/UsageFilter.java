package dev.tollgate.metering;

import java.util.Set;
import java.util.UUID;

/**
 * Which calls a usage query counts. {@code apiIds} null means every API (an empty set means none); {@code consumerId}
 * and {@code keyId} null mean anyone's; {@code ai} null means gateway and AI calls, true only AI calls (their API id is
 * the model's), false only gateway calls.
 */
public record UsageFilter(Set<UUID> apiIds, UUID consumerId, UUID keyId, Boolean ai) {

    public static final UsageFilter ALL = new UsageFilter(null, null, null, null);

    public static UsageFilter api(UUID apiId) {
        return new UsageFilter(Set.of(apiId), null, null, null);
    }

    public static UsageFilter consumer(UUID consumerId) {
        return new UsageFilter(null, consumerId, null, null);
    }

    public UsageFilter withAi(Boolean onlyAi) {
        return new UsageFilter(apiIds, consumerId, keyId, onlyAi);
    }

    public UsageFilter withApis(Set<UUID> ids) {
        return new UsageFilter(ids, consumerId, keyId, ai);
    }
}
