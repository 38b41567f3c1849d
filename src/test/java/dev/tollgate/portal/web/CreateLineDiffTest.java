package dev.tollgate.portal.web;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CreateLineDiffTest {

    private static List<String> shown(CreateLineDiff.Result result) {
        return result.rows().stream().map(r -> r.sign() + r.text()).toList();
    }

    @Test
    void finds_the_shortest_edit_with_line_numbers() {
        CreateLineDiff.Result result = CreateLineDiff.diff("a\nb\nc\nd\n", "a\nc\nx\nd\ny\n");
        assertThat(shown(result)).containsExactly(" a", "-b", " c", "+x", " d", "+y");
        assertThat(result.added()).isEqualTo(2);
        assertThat(result.removed()).isEqualTo(1);
        assertThat(result.rows().get(1)).isEqualTo(new CreateLineDiff.Row("del", 2, null, "b"));
        assertThat(result.rows().get(3)).isEqualTo(new CreateLineDiff.Row("add", null, 3, "x"));
    }

    @Test
    void same_texts_have_no_changes_and_long_unchanged_runs_are_folded() {
        String many = IntStream.rangeClosed(1, 20).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        assertThat(CreateLineDiff.diff(many, many).rows()).extracting(CreateLineDiff.Row::kind)
                .containsExactly("skip");
        CreateLineDiff.Result changed = CreateLineDiff.diff(many, many.replace("line 10\n", "line ten\n"));
        assertThat(shown(changed)).containsExactly(" ⋯ 6 unchanged lines", " line 7", " line 8", " line 9",
                "-line 10", "+line ten", " line 11", " line 12", " line 13", " ⋯ 7 unchanged lines");
    }

    @Test
    void empty_texts_and_whole_replacements() {
        assertThat(shown(CreateLineDiff.diff("", "a\nb"))).containsExactly("+a", "+b");
        assertThat(shown(CreateLineDiff.diff("a\nb", ""))).containsExactly("-a", "-b");
        assertThat(shown(CreateLineDiff.diff("a\nb", "c\nd"))).containsExactly("-a", "-b", "+c", "+d");
    }
}
