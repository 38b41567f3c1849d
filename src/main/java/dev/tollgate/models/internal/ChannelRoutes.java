package dev.tollgate.models.internal;

import java.util.Comparator;

import dev.tollgate.aiproxy.AiProvider;
import dev.tollgate.aiproxy.ModelRoute;
import dev.tollgate.gateway.Upstream;
import dev.tollgate.models.AiModels;
import dev.tollgate.models.store.ChannelEntity;
import dev.tollgate.platform.SecretBox;

/** Stored channels made into what the AI proxy calls: provider parsed, URL parsed, key opened. */
public final class ChannelRoutes {

    /** The proxy's order of preference for stored channels: priority ascending, then weight descending. */
    public static final Comparator<ChannelEntity> PREFERENCE = Comparator.<ChannelEntity>comparingInt(c -> c.priority)
            .thenComparing(Comparator.<ChannelEntity>comparingInt(c -> c.weight).reversed());

    /** A usable channel, or (channel null) why the stored one cannot be used, never with its key. */
    public record Opened(ModelRoute.Channel channel, String problem) {
    }

    private ChannelRoutes() {
    }

    public static Opened open(ChannelEntity channel, SecretBox secrets) {
        AiProvider provider = AiProvider.parse(channel.provider).orElse(null);
        if (provider == null) {
            return new Opened(null, "has an unknown provider '" + channel.provider + "'");
        }
        Upstream upstream;
        try {
            upstream = Upstream.parse(channel.baseUrl);
        } catch (IllegalArgumentException e) {
            return new Opened(null, "has an unusable base_url (" + e.getMessage() + ")");
        }
        String apiKey = null;
        if (channel.apiKeySealed != null) {
            try {
                apiKey = secrets.open(channel.apiKeySealed, AiModels.sealedFor(channel.id));
            } catch (SecretBox.TamperedException e) {
                return new Opened(null, "has an API key that does not open with this node's encryption key ("
                        + e.getMessage() + "); set the key again, or run with the TOLLGATE_ENCRYPTION_KEY it was "
                        + "stored with");
            }
        }
        return new Opened(new ModelRoute.Channel(channel.id, provider, channel.baseUrl, upstream, apiKey,
                channel.upstreamModel, channel.priority, channel.weight), null);
    }
}
