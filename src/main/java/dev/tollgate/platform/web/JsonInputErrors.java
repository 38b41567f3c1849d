package dev.tollgate.platform.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Words for what is wrong with a JSON request body, written for the person who sent it: which field, and what was
 * expected there ("expires_at: expected an ISO-8601 date-time such as 2027-01-01T00:00:00Z").
 */
final class JsonInputErrors {

    private JsonInputErrors() {
    }

    /** The field's path as the client wrote it ({@code rate_limit.requests}, {@code tags[2]}); empty for the root. */
    static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String unknownField(UnrecognizedPropertyException e) {
        Collection<Object> known = e.getKnownPropertyIds();
        if (known == null || known.isEmpty()) {
            return "is not a known field";
        }
        String names = new TreeSet<>(known.stream().map(Object::toString).toList()).stream()
                .collect(Collectors.joining(", "));
        return "is not a known field; the known fields here are " + names;
    }

    /** What a value of the given Java type looks like in JSON. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
            return "an ISO-8601 date-time such as 2027-01-01T00:00:00Z";
        }
        if (type == LocalDate.class) {
            return "an ISO-8601 date such as 2027-01-01";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration such as PT30S";
        }
        if (type == UUID.class) {
            return "a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class) {
            return "a number such as 12.5";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(JsonInputErrors::wireName)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "a JSON object";
        }
        return "a value of another type";
    }

    private static String wireName(Object constant) {
        Enum<?> value = (Enum<?>) constant;
        try {
            JsonProperty property = value.getDeclaringClass().getField(value.name()).getAnnotation(JsonProperty.class);
            if (property != null && !property.value().isEmpty()) {
                return property.value();
            }
        } catch (NoSuchFieldException e) {
            // not reachable for an enum constant; fall through to its name
        }
        return value.toString();
    }
}
