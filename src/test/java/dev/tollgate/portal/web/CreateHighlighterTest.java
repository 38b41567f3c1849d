package dev.tollgate.portal.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CreateHighlighterTest {

    @Test
    void wraps_keywords_strings_comments_numbers_and_escapes_everything() {
        String html = CreateHighlighter.javascript("""
                // a <comment> & more
                export default { routes: { "GET /x": (req) => ({ status: 404, json: '</pre><script>' }) } };
                """);
        assertThat(html).contains("<span class=\"line\"><span class=\"js-com\">// a &lt;comment&gt; &amp; more"
                + "</span></span>\n")
                .contains("<span class=\"js-kw\">export</span> <span class=\"js-kw\">default</span>")
                .contains("<span class=\"js-str\">&quot;GET /x&quot;</span>")
                .contains("<span class=\"js-num\">404</span>")
                .contains("<span class=\"js-str\">&#39;&lt;/pre&gt;&lt;script&gt;&#39;</span>")
                .doesNotContain("<script").doesNotContain("</pre>");
    }

    @Test
    void a_comment_or_template_across_lines_is_closed_and_reopened_on_each_line() {
        String html = CreateHighlighter.javascript("/* one\ntwo */ const t = `a ${x + `b`}\nc`;\nlet r = /[/]x/g;");
        assertThat(html.split("\n")).containsExactly(
                "<span class=\"line\"><span class=\"js-com\">/* one</span></span>",
                "<span class=\"line\"><span class=\"js-com\">two */</span> <span class=\"js-kw\">const</span> t ="
                        + " <span class=\"js-str\">`a ${x + `b`}</span></span>",
                "<span class=\"line\"><span class=\"js-str\">c`</span>;</span>",
                "<span class=\"line\"><span class=\"js-kw\">let</span> r = <span class=\"js-re\">/[/]x/g</span>;"
                        + "</span>");
    }

    @Test
    void division_is_not_a_regex_and_members_named_like_keywords_are_plain() {
        String html = CreateHighlighter.javascript("const a = b / 2 / c; x.default = 1;");
        assertThat(html).doesNotContain("js-re").contains("x.default")
                .contains("<span class=\"js-num\">2</span>");
    }
}
