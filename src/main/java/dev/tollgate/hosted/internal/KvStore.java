package dev.tollgate.hosted.internal;

import java.util.List;

/**
 * The key/value store of one hosted API, behind the code's {@code kv} global; blocking, called on the thread running
 * the handler. Keys and values are strings; the sandbox has already checked a key's length (1–256 characters) and a
 * value's size (at most 64 KB of UTF-8) before it calls here.
 */
public interface KvStore {

    /** The value under the key, {@code null} when there is none. */
    String get(String key);

    /** Stores the value; {@link QuotaExceeded} when the API's store is full (the code sees an Error with its message). */
    void put(String key, String value);

    /** Removes the key; whether it was there. */
    boolean delete(String key);

    /** Up to {@code limit} keys starting with {@code prefix} ("" for all), in ascending order. */
    List<String> list(String prefix, int limit);

    /** The store refuses more data; the message is shown to the code as is. */
    class QuotaExceeded extends RuntimeException {
        public QuotaExceeded(String message) {
            super(message, null, false, false);
        }
    }
}
