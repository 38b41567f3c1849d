package dev.tollgate.aiproxy;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.tollgate.gateway.Upstream;

/**
 * An enabled model as the AI proxy serves it: its public name, prices in micros per million tokens, the most output
 * tokens a call may ask for (0: no cap of ours) and its channels, most preferred first (lowest priority number, then
 * highest weight). {@code cachedInputMicrosPerMillion} is -1 when the model has no separate price for cached input.
 */
public record ModelRoute(UUID id, String name, String displayName, long inputMicrosPerMillion,
        long outputMicrosPerMillion, long cachedInputMicrosPerMillion, int maxOutputTokens, long createdEpochSeconds,
        List<Channel> channels) {

    /** Most preferred first: priority ascending, then weight descending. */
    public static final Comparator<Channel> PREFERENCE = Comparator.comparingInt(Channel::priority)
            .thenComparing(Comparator.comparingInt(Channel::weight).reversed());

    public ModelRoute {
        channels = channels.stream().sorted(PREFERENCE).toList();
    }

    /**
     * One way to reach the model: a provider's API at {@code baseUrl} with the platform's {@code apiKey} for it
     * (decrypted, held in memory only; null when the channel has none) and the model's name there. {@link #toString}
     * leaves the key out, so a channel can never be logged with it.
     */
    public record Channel(UUID id, AiProvider provider, String baseUrl, Upstream upstream, String apiKey,
            String upstreamModel, int priority, int weight) {

        @Override
        public String toString() {
            return "Channel[id=" + id + ", provider=" + provider.id() + ", baseUrl=" + baseUrl + ", upstreamModel="
                    + upstreamModel + ", priority=" + priority + ", weight=" + weight + ", apiKey="
                    + (apiKey == null ? "none" : "***") + "]";
        }
    }
}
