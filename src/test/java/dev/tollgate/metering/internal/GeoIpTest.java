package dev.tollgate.metering.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The offline GeoIP database: both published CSV layouts, IPv4 and IPv6, range edges, and what it never does. */
class GeoIpTest {

    @TempDir
    Path dir;

    private GeoIp load(String csv) throws IOException {
        Path file = dir.resolve("geo.csv");
        Files.writeString(file, csv);
        return GeoIp.load(file);
    }

    @Test
    void db_ip_lite_ranges_of_ipv4_and_ipv6_answer_their_country_at_both_edges() throws IOException {
        GeoIp geo = load("""
                # first,last,country
                1.0.4.0,1.0.7.255,AU
                1.0.0.0,1.0.0.255,au
                2.16.0.0,2.16.255.255,DE
                2001:db8::,2001:db8::ffff,FR
                not,a,range
                3.0.0.0,2.0.0.0,US
                """);
        assertThat(geo.size()).isEqualTo(4);
        assertThat(geo.country("1.0.0.0")).isEqualTo("AU");
        assertThat(geo.country("1.0.0.255")).isEqualTo("AU");
        assertThat(geo.country("1.0.1.0")).isNull(); // between ranges
        assertThat(geo.country("1.0.7.255")).isEqualTo("AU");
        assertThat(geo.country("2.16.200.1")).isEqualTo("DE");
        assertThat(geo.country("0.0.0.1")).isNull(); // before the first range
        assertThat(geo.country("255.255.255.255")).isNull();
        assertThat(geo.country("2001:db8::1")).isEqualTo("FR");
        assertThat(geo.country("[2001:db8::ffff]")).isEqualTo("FR");
        assertThat(geo.country("2001:db8::1:0")).isNull();
        // IPv4-mapped IPv6 is the IPv4 address
        assertThat(geo.country("::ffff:2.16.0.1")).isEqualTo("DE");
    }

    @Test
    void ip2location_lite_integer_ranges_are_read_too() throws IOException {
        GeoIp geo = load("""
                "16777216","16777471","AU","Australia"
                "16781312","16785407","JP","Japan"
                "0","16777215","-","-"
                """);
        assertThat(geo.size()).isEqualTo(2);
        assertThat(geo.country("1.0.0.1")).isEqualTo("AU");
        assertThat(geo.country("1.0.16.0")).isEqualTo("JP");
        assertThat(geo.country("0.1.2.3")).isNull(); // "-" is no country
    }

    @Test
    void anything_but_an_ip_literal_is_unknown_and_never_resolved() throws IOException {
        GeoIp geo = load("0.0.0.0,255.255.255.255,AQ\n");
        assertThat(geo.country("1.2.3.4")).isEqualTo("AQ");
        assertThat(geo.country("localhost")).isNull();
        assertThat(geo.country("example.com")).isNull();
        assertThat(geo.country("abc.def.ab.cd")).isNull();
        assertThat(geo.country("16909060")).isNull(); // an integer is a file's notation, not a client's address
        assertThat(geo.country("")).isNull();
        assertThat(geo.country(null)).isNull();
    }

    @Test
    void a_file_without_ranges_or_missing_is_an_error() {
        assertThatThrownBy(() -> load("first,last,country\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("no address range");
        assertThatThrownBy(() -> GeoIp.load(dir.resolve("missing.csv"))).isInstanceOf(IOException.class);
    }
}
