package dev.tollgate.aiproxy.internal;

import dev.tollgate.aiproxy.internal.Translation.Untranslatable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of a client's request body: a field of the wrong type is an {@link Untranslatable} naming it, never a
 * {@link ClassCastException}. Absent and JSON null read as null.
 */
final class JsonFields {

    private JsonFields() {
    }

    static JsonObject object(Object value, String param) {
        if (value == null || value instanceof JsonObject) {
            return (JsonObject) value;
        }
        throw new Untranslatable(param, "must be an object");
    }

    static JsonArray array(Object value, String param) {
        if (value == null || value instanceof JsonArray) {
            return (JsonArray) value;
        }
        throw new Untranslatable(param, "must be an array");
    }

    static String string(Object value, String param) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new Untranslatable(param, "must be a string");
    }

    static Number number(Object value, String param) {
        if (value == null || value instanceof Number) {
            return (Number) value;
        }
        throw new Untranslatable(param, "must be a number");
    }

    static Boolean bool(Object value, String param) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new Untranslatable(param, "must be true or false");
    }

    static JsonObject requiredObject(Object value, String param) {
        JsonObject object = object(value, param);
        if (object == null) {
            throw new Untranslatable(param, "is required");
        }
        return object;
    }

    static JsonArray requiredArray(Object value, String param) {
        JsonArray array = array(value, param);
        if (array == null) {
            throw new Untranslatable(param, "is required");
        }
        return array;
    }

    static String requiredString(Object value, String param) {
        String string = string(value, param);
        if (string == null) {
            throw new Untranslatable(param, "is required");
        }
        return string;
    }

    /** A {@code data:<media type>;base64,<data>} URL split in two, or null when {@code url} is not one. */
    static String[] base64DataUrl(String url) {
        if (!url.startsWith("data:")) {
            return null;
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String header = url.substring("data:".length(), comma);
        if (!header.endsWith(";base64")) {
            return null;
        }
        return new String[]{header.substring(0, header.length() - ";base64".length()), url.substring(comma + 1)};
    }

    static boolean isHttpUrl(String url) {
        return url.startsWith("https://") || url.startsWith("http://");
    }
}
