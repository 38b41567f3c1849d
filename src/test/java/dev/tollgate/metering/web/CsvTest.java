package dev.tollgate.metering.web;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void quotes_fields_with_commas_quotes_or_line_breaks_and_doubles_quotes() {
        assertThat(Csv.field("plain")).isEqualTo("plain");
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.field("cr\r")).isEqualTo("\"cr\r\"");
        assertThat(Csv.field(null)).isEmpty();
        assertThat(Csv.field(new BigDecimal("1E-6"))).isEqualTo("0.000001");
    }

    @Test
    void writes_a_header_row_and_crlf_line_ends() {
        String csv = Csv.of(List.of("name", "calls"), List.of(Arrays.asList("x,y", 3), Arrays.asList(null, 0)),
                row -> row);
        assertThat(csv).isEqualTo("name,calls\r\n\"x,y\",3\r\n,0\r\n");
    }
}
