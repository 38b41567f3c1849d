package dev.tollgate.portal.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A line diff of two versions' code (Myers' O((N+M)·D) algorithm after the common start and end are cut off), as
 * rows to show: unchanged lines ({@code same}), removed ({@code del}) and added ({@code add}) ones, with unchanged runs
 * far from any change folded into one {@code skip} row. Past {@value #MAX_EDITS} edits the two texts are shown as
 * all removed, then all added (the memory of the search grows with the square of the edits).
 */
final class CreateLineDiff {

    static final int MAX_EDITS = 2_000;
    static final int CONTEXT = 3;

    /** One row: {@code kind} is same, add, del or skip; line numbers in the old and new text (null when absent). */
    record Row(String kind, Integer oldLine, Integer newLine, String text) {

        /** The sign in front of the line. */
        public String sign() {
            return switch (kind) {
                case "add" -> "+";
                case "del" -> "-";
                default -> " ";
            };
        }
    }

    /** The rows and how many lines were added and removed. */
    record Result(List<Row> rows, int added, int removed) {
    }

    private CreateLineDiff() {
    }

    static Result diff(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            rows.add(new Row("same", i + 1, i + 1, a.get(i)));
        }
        List<String> midA = a.subList(prefix, a.size() - suffix);
        List<String> midB = b.subList(prefix, b.size() - suffix);
        rows.addAll(middle(midA, midB, prefix));
        for (int i = suffix; i > 0; i--) {
            rows.add(new Row("same", a.size() - i + 1, b.size() - i + 1, a.get(a.size() - i)));
        }
        int added = (int) rows.stream().filter(r -> r.kind().equals("add")).count();
        int removed = (int) rows.stream().filter(r -> r.kind().equals("del")).count();
        return new Result(fold(rows), added, removed);
    }

    static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.replace("\r\n", "\n").split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** The edit script of the differing middle, by Myers' greedy search and its trace walked back. */
    private static List<Row> middle(List<String> a, List<String> b, int offsetLines) {
        int n = a.size();
        int m = b.size();
        List<Row> rows = new ArrayList<>();
        if (n == 0 && m == 0) {
            return rows;
        }
        int max = n + m;
        int offset = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= Math.min(max, MAX_EDITS) && found < 0; d++) {
            // the values of diagonals -d-1 .. d+1 before this step: what the walk back reads at step d
            trace.add(Arrays.copyOfRange(v, offset - d - 1, offset + d + 2));
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || k != d && v[offset + k - 1] < v[offset + k + 1]
                        ? v[offset + k + 1]
                        : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break;
                }
            }
        }
        if (found < 0) {
            for (int i = 0; i < n; i++) {
                rows.add(new Row("del", offsetLines + i + 1, null, a.get(i)));
            }
            for (int j = 0; j < m; j++) {
                rows.add(new Row("add", null, offsetLines + j + 1, b.get(j)));
            }
            return rows;
        }
        List<Row> reversed = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = found; d >= 0; d--) {
            int[] before = trace.get(d);
            int k = x - y;
            int prevK = k == -d || k != d && at(before, d, k - 1) < at(before, d, k + 1) ? k + 1 : k - 1;
            int prevX = d == 0 ? 0 : at(before, d, prevK);
            int prevY = d == 0 ? 0 : prevX - prevK;
            while (x > prevX && y > prevY) {
                reversed.add(new Row("same", offsetLines + x, offsetLines + y, a.get(x - 1)));
                x--;
                y--;
            }
            if (d > 0) {
                if (x == prevX) {
                    reversed.add(new Row("add", null, offsetLines + y, b.get(y - 1)));
                } else {
                    reversed.add(new Row("del", offsetLines + x, null, a.get(x - 1)));
                }
            }
            x = prevX;
            y = prevY;
        }
        for (int i = reversed.size() - 1; i >= 0; i--) {
            rows.add(reversed.get(i));
        }
        return rows;
    }

    /** Diagonal {@code k}'s value in the trace of step {@code d} (which holds diagonals -d-1 .. d+1). */
    private static int at(int[] snapshot, int d, int k) {
        return snapshot[k + d + 1];
    }

    /** Unchanged runs keep {@value #CONTEXT} lines next to a change; the rest of each run is one skip row. */
    private static List<Row> fold(List<Row> rows) {
        boolean[] keep = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).kind().equals("same")) {
                for (int j = Math.max(0, i - CONTEXT); j <= Math.min(rows.size() - 1, i + CONTEXT); j++) {
                    keep[j] = true;
                }
            }
        }
        List<Row> folded = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (keep[i]) {
                if (skipped > 0) {
                    folded.add(skip(skipped));
                    skipped = 0;
                }
                folded.add(rows.get(i));
            } else {
                skipped++;
            }
        }
        if (skipped > 0) {
            folded.add(skip(skipped));
        }
        return folded;
    }

    private static Row skip(int lines) {
        return new Row("skip", null, null, "⋯ " + lines + " unchanged line" + (lines == 1 ? "" : "s"));
    }
}
