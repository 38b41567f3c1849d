package dev.tollgate.portal.web;

import java.util.Set;

/**
 * Syntax highlighting of JavaScript for the create pages, on the server: the code is cut into comments, strings
 * (quoted and template literals), regular expressions, numbers, keywords and the rest; every piece is HTML-escaped and
 * the first five are wrapped in {@code <span class="js-…">}; each line is a {@code <span class="line">} (numbered by
 * {@code create.css}). The result is safe to insert unescaped whatever the code contains: nothing of the code reaches
 * the page but escaped text. It is a tokenizer, not a parser, so unusual code may be coloured wrongly, never shown
 * wrongly.
 */
final class CreateHighlighter {

    private static final Set<String> KEYWORDS = Set.of("async", "await", "break", "case", "catch", "class", "const",
            "continue", "debugger", "default", "delete", "do", "else", "export", "extends", "finally", "for",
            "function", "if", "import", "in", "instanceof", "let", "new", "of", "return", "static", "super", "switch",
            "this", "throw", "try", "typeof", "var", "void", "while", "with", "yield");
    private static final Set<String> LITERALS = Set.of("true", "false", "null", "undefined", "NaN", "Infinity");

    private CreateHighlighter() {
    }

    /** The code as highlighted, escaped HTML lines (for a {@code <pre class="code-view">}). */
    static String javascript(String code) {
        Lines out = new Lines();
        if (code == null) {
            return "";
        }
        String text = code.replace("\r\n", "\n");
        int i = 0;
        int n = text.length();
        boolean regexAllowed = true;
        while (i < n) {
            char c = text.charAt(i);
            int end;
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                end = indexOrEnd(text, '\n', i);
                out.add("js-com", text.substring(i, end));
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
                out.add("js-com", text.substring(i, end));
            } else if (c == '"' || c == '\'') {
                end = quoted(text, i, c);
                out.add("js-str", text.substring(i, end));
                regexAllowed = false;
            } else if (c == '`') {
                end = template(text, i);
                out.add("js-str", text.substring(i, end));
                regexAllowed = false;
            } else if (c == '/' && regexAllowed) {
                end = regex(text, i);
                if (end < 0) {
                    end = i + 1;
                    out.add(null, "/");
                    regexAllowed = true;
                } else {
                    out.add("js-re", text.substring(i, end));
                    regexAllowed = false;
                }
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))) {
                end = number(text, i);
                out.add("js-num", text.substring(i, end));
                regexAllowed = false;
            } else if (Character.isJavaIdentifierStart(c)) {
                end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(text.charAt(end))) {
                    end++;
                }
                String word = text.substring(i, end);
                boolean keyword = KEYWORDS.contains(word);
                boolean member = i > 0 && text.charAt(i - 1) == '.';
                out.add(member ? null : keyword ? "js-kw" : LITERALS.contains(word) ? "js-lit" : null, word);
                // after `return x`, `/` divides; after `return`, it starts a regex
                regexAllowed = keyword && !member && !word.equals("this") && !word.equals("super");
            } else {
                end = i + 1;
                out.add(null, String.valueOf(c));
                if (!Character.isWhitespace(c)) {
                    regexAllowed = c != ')' && c != ']' && c != '}';
                }
            }
            i = end;
        }
        return out.html();
    }

    private static int indexOrEnd(String text, char c, int from) {
        int at = text.indexOf(c, from);
        return at < 0 ? text.length() : at;
    }

    /** The end of a quoted string; an unterminated one ends at the line's end. */
    private static int quoted(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                return i + 1;
            }
            if (c == '\n') {
                return i;
            }
            i++;
        }
        return text.length();
    }

    /** The end of a template literal, over its {@code ${…}} parts (nested braces and strings counted). */
    private static int template(String text, int start) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '`') {
                return i + 1;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int depth = 1;
                i += 2;
                while (i < text.length() && depth > 0) {
                    char d = text.charAt(i);
                    if (d == '{') {
                        depth++;
                        i++;
                    } else if (d == '}') {
                        depth--;
                        i++;
                    } else if (d == '"' || d == '\'') {
                        i = quoted(text, i, d);
                    } else if (d == '`') {
                        i = template(text, i);
                    } else {
                        i++;
                    }
                }
            } else {
                i++;
            }
        }
        return text.length();
    }

    /** The end of a regular expression literal on this line (with its flags), or -1 when it is none. */
    private static int regex(String text, int start) {
        int i = start + 1;
        boolean inClass = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                return -1;
            }
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                i++;
                while (i < text.length() && Character.isLetter(text.charAt(i))) {
                    i++;
                }
                return i;
            }
            i++;
        }
        return -1;
    }

    private static int number(String text, int start) {
        int i = start;
        if (text.startsWith("0x", i) || text.startsWith("0X", i) || text.startsWith("0b", i)
                || text.startsWith("0B", i) || text.startsWith("0o", i) || text.startsWith("0O", i)) {
            i += 2;
            while (i < text.length() && (Character.digit(text.charAt(i), 16) >= 0 || text.charAt(i) == '_')) {
                i++;
            }
        } else {
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isDigit(c) || c == '.' || c == '_') {
                    i++;
                } else if ((c == 'e' || c == 'E') && i + 1 < text.length()) {
                    i++;
                    if (text.charAt(i) == '+' || text.charAt(i) == '-') {
                        i++;
                    }
                } else {
                    break;
                }
            }
        }
        if (i < text.length() && text.charAt(i) == 'n') {
            i++;
        }
        return i;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        escape(out, text);
        return out.toString();
    }

    private static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }

    /** Pieces split into lines: a span crossing a line break is closed and opened again on the next line. */
    private static final class Lines {
        private final StringBuilder html = new StringBuilder();
        private final StringBuilder line = new StringBuilder();

        void add(String cssClass, String text) {
            int from = 0;
            while (true) {
                int br = text.indexOf('\n', from);
                String part = br < 0 ? text.substring(from) : text.substring(from, br);
                if (!part.isEmpty()) {
                    if (cssClass == null) {
                        escape(line, part);
                    } else {
                        line.append("<span class=\"").append(cssClass).append("\">");
                        escape(line, part);
                        line.append("</span>");
                    }
                }
                if (br < 0) {
                    return;
                }
                endLine();
                from = br + 1;
            }
        }

        private void endLine() {
            html.append("<span class=\"line\">").append(line).append("</span>\n");
            line.setLength(0);
        }

        String html() {
            if (line.length() > 0) {
                endLine();
            }
            return html.toString();
        }
    }
}
