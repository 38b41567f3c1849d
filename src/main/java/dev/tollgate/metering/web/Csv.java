package dev.tollgate.metering.web;

import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;

/**
 * CSV as RFC 4180 has it: a header row, CRLF line ends, and a field quoted (its quotes doubled) when it holds a comma,
 * a quote or a line break. Nulls are empty fields.
 */
final class Csv {

    static final String MEDIA_TYPE = "text/csv";

    private Csv() {
    }

    /** The rows as CSV under the header, each row's fields given by {@code fields}. */
    static <T> String of(List<String> header, List<T> rows, Function<T, List<?>> fields) {
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (T row : rows) {
            line(out, fields.apply(row));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** A CSV download named {@code name}.csv. */
    static Response response(String name, String body) {
        return Response.ok(body, MEDIA_TYPE + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"").build();
    }
}
