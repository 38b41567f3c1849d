package dev.tollgate.hosted.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link KvStore} in memory, bounded by a number of keys: the scratch store of test runs (a program's tests must not
 * touch its live data) and of unit tests. Thread-safe.
 */
public final class MemoryKvStore implements KvStore {

    private final ConcurrentSkipListMap<String, String> entries = new ConcurrentSkipListMap<>();
    private final int maxKeys;

    public MemoryKvStore(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    @Override
    public String get(String key) {
        return entries.get(key);
    }

    @Override
    public synchronized void put(String key, String value) {
        if (!entries.containsKey(key) && entries.size() >= maxKeys) {
            throw new QuotaExceeded("The store is full (at most " + maxKeys + " keys)");
        }
        entries.put(key, value);
    }

    @Override
    public boolean delete(String key) {
        return entries.remove(key) != null;
    }

    @Override
    public List<String> list(String prefix, int limit) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, String> entry : entries.tailMap(prefix, true).entrySet()) {
            if (!entry.getKey().startsWith(prefix) || keys.size() >= limit) {
                break;
            }
            keys.add(entry.getKey());
        }
        return keys;
    }

    /** A copy of everything stored, for tests. */
    public Map<String, String> snapshot() {
        return Map.copyOf(entries);
    }
}
