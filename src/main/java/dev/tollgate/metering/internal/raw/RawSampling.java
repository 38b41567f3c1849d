package dev.tollgate.metering.internal.raw;

/**
 * Which calls' raw events are kept when only a share of successful calls is (see
 * {@code tollgate.metering.raw-sample}). Decided from the request id alone, so every node, every retry and every test
 * decides the same id alike; errors (status 400 and above) are always kept.
 */
public final class RawSampling {

    private RawSampling() {
    }

    /** Whether the raw event of a call with this request id and status is kept at {@code share} in (0, 1]. */
    public static boolean keeps(String requestId, int status, double share) {
        return status >= 400 || share >= 1.0 || position(requestId) < share;
    }

    /** The request id's place in [0, 1): a 64-bit string hash, mixed (MurmurHash3's finaliser) so that ids that differ
     * only in their last characters land far apart. */
    static double position(String requestId) {
        long h = 1125899906842597L;
        String id = requestId == null ? "" : requestId;
        for (int i = 0; i < id.length(); i++) {
            h = 31 * h + id.charAt(i);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
