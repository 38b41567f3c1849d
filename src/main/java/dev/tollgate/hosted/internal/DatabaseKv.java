package dev.tollgate.hosted.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.hosted.HostedConfig;
import dev.tollgate.hosted.store.HostedApiEntity;
import dev.tollgate.hosted.store.HostedStore;
import dev.tollgate.hosted.store.KvEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The key/value store of each hosted API, in the database (table {@code hosted_kv}), each operation its own
 * transaction. Writes of one API are serialised on its {@code hosted_apis} row so its quota (bytes and keys,
 * {@code tollgate.hosted.kv.*}) holds under concurrent calls. Runs on the hosted workers, never on an event loop.
 */
@ApplicationScoped
public class DatabaseKv {

    private final HostedStore store;
    private final long maxBytes;
    private final int maxKeys;
    private final Clock clock;

    DatabaseKv(HostedStore store, HostedConfig config, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.maxBytes = config.kv().maxBytesPerApi().asLongValue();
        this.maxKeys = config.kv().maxKeysPerApi();
    }

    /** The store of one API. */
    public KvStore of(UUID apiId) {
        return new KvStore() {
            @Override
            public String get(String key) {
                return QuarkusTransaction.requiringNew()
                        .call(() -> store.kv(apiId, key).map(entry -> entry.value).orElse(null));
            }

            @Override
            public void put(String key, String value) {
                int bytes = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
                QuarkusTransaction.requiringNew().run(() -> {
                    HostedApiEntity api = store.lockedHostedApi(apiId)
                            .orElseThrow(() -> new IllegalStateException("Hosted API " + apiId + " is gone"));
                    KvEntity entry = store.kv(apiId, key).orElse(null);
                    long used = store.kvBytes(apiId) - (entry == null ? 0 : entry.bytes);
                    if (used + bytes > maxBytes) {
                        throw new KvStore.QuotaExceeded("The key/value store of this API is full: " + used + " of "
                                + maxBytes + " bytes used, this entry needs " + bytes);
                    }
                    if (entry == null && store.kvCount(apiId) >= maxKeys) {
                        throw new KvStore.QuotaExceeded("The key/value store of this API holds its limit of "
                                + maxKeys + " keys");
                    }
                    if (entry == null) {
                        entry = new KvEntity();
                        entry.id = UUID.randomUUID();
                        entry.apiId = api.apiId;
                        entry.key = key;
                        entry.value = value;
                        entry.bytes = bytes;
                        entry.updatedAt = clock.instant();
                        store.persist(entry);
                    } else {
                        entry.value = value;
                        entry.bytes = bytes;
                        entry.updatedAt = clock.instant();
                    }
                });
            }

            @Override
            public boolean delete(String key) {
                return QuarkusTransaction.requiringNew().call(() -> store.kv(apiId, key).map(entry -> {
                    store.remove(entry);
                    return true;
                }).orElse(false));
            }

            @Override
            public List<String> list(String prefix, int limit) {
                return QuarkusTransaction.requiringNew().call(() -> store.kvKeys(apiId, prefix, limit));
            }
        };
    }
}
