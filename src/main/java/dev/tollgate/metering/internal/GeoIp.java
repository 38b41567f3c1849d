package dev.tollgate.metering.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * An offline IP-to-country database loaded into memory from a CSV of address ranges, one per line:
 * {@code first,last,country} — DB-IP's "IP to Country Lite" as published ({@code 1.0.0.0,1.0.0.255,AU}, IPv4 and IPv6),
 * or IP2Location's LITE DB1 ({@code "16777216","16777471","AU","Australia"}: addresses as integers, IPv4 or IPv6). A
 * lookup is a binary search over sorted ranges (about a microsecond); addresses are held as 128 bits, IPv4 as
 * IPv4-mapped IPv6. Immutable once loaded.
 */
public final class GeoIp {

    private static final Logger LOG = Logger.getLogger(GeoIp.class);
    private static final long IPV4_MAPPED = 0xFFFF_0000_0000L;

    private final long[] startHigh;
    private final long[] startLow;
    private final long[] endHigh;
    private final long[] endLow;
    private final short[] country;
    private final String[] countries;

    private GeoIp(long[] startHigh, long[] startLow, long[] endHigh, long[] endLow, short[] country,
            String[] countries) {
        this.startHigh = startHigh;
        this.startLow = startLow;
        this.endHigh = endHigh;
        this.endLow = endLow;
        this.country = country;
        this.countries = countries;
    }

    /**
     * Loads a database. Lines that are not ranges (a header, blanks, comments, malformed ones) are skipped and counted
     * in the log; a file that cannot be read, or holds no range at all, is an error.
     */
    public static GeoIp load(Path file) throws IOException {
        long started = System.nanoTime();
        List<long[]> ranges = new ArrayList<>();
        Map<String, Short> codes = new HashMap<>();
        List<String> names = new ArrayList<>();
        int skipped = 0;
        int firstSkipped = 0;
        int line = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                long[] range = parse(text, codes, names);
                if (range == null) {
                    if (!text.isBlank() && !text.startsWith("#")) {
                        skipped++;
                        firstSkipped = firstSkipped == 0 ? line : firstSkipped;
                    }
                } else {
                    ranges.add(range);
                }
            }
        }
        if (ranges.isEmpty()) {
            throw new IOException(file + " holds no address range (expected lines of first,last,country)");
        }
        ranges.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
        int n = ranges.size();
        long[] startHigh = new long[n];
        long[] startLow = new long[n];
        long[] endHigh = new long[n];
        long[] endLow = new long[n];
        short[] country = new short[n];
        for (int i = 0; i < n; i++) {
            long[] r = ranges.get(i);
            startHigh[i] = r[0];
            startLow[i] = r[1];
            endHigh[i] = r[2];
            endLow[i] = r[3];
            country[i] = (short) r[4];
        }
        LOG.infof("GeoIP database %s: %,d ranges of %d countries loaded in %d ms%s", file, n, names.size(),
                (System.nanoTime() - started) / 1_000_000,
                skipped == 0
                        ? ""
                        : String.format(Locale.ROOT, "; %,d lines skipped (the first: line %d)", skipped,
                                firstSkipped));
        return new GeoIp(startHigh, startLow, endHigh, endLow, country, names.toArray(String[]::new));
    }

    /** {startHigh, startLow, endHigh, endLow, country index}, or null when the line is not a range. */
    private static long[] parse(String text, Map<String, Short> codes, List<String> names) {
        String[] fields = text.split(",", -1);
        if (fields.length < 3) {
            return null;
        }
        long[] first = address(unquote(fields[0]));
        long[] last = address(unquote(fields[1]));
        String code = unquote(fields[2]).toUpperCase(Locale.ROOT);
        if (first == null || last == null || code.length() != 2 || !Character.isLetter(code.charAt(0))
                || !Character.isLetter(code.charAt(1)) || compare(first[0], first[1], last[0], last[1]) > 0) {
            return null;
        }
        Short index = codes.get(code);
        if (index == null) {
            index = (short) names.size();
            codes.put(code, index);
            names.add(code);
        }
        return new long[]{first[0], first[1], last[0], last[1], index};
    }

    private static String unquote(String field) {
        String f = field.trim();
        return f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1) : f;
    }

    /** An address as 128 bits {high, low}: dotted IPv4, IPv6, or an integer (IPv4 when below 2^32); else null. */
    static long[] address(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.chars().allMatch(Character::isDigit)) {
            BigInteger value = new BigInteger(text);
            if (value.bitLength() > 128) {
                return null;
            }
            if (value.bitLength() <= 32) {
                return new long[]{0, IPV4_MAPPED | value.longValue()};
            }
            return new long[]{value.shiftRight(64).longValue(), value.longValue()};
        }
        // Netty's parser takes IP literals only and never resolves a name (InetAddress.getByName would, for a
        // malformed line such as 300.1.1.1)
        byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return null;
        }
        try {
            return bits(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static long[] bits(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            long v4 = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
            return new long[]{0, IPV4_MAPPED | v4};
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (b[i] & 0xFFL);
            low = (low << 8) | (b[i + 8] & 0xFFL);
        }
        return new long[]{high, low};
    }

    private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int high = Long.compareUnsigned(aHigh, bHigh);
        return high != 0 ? high : Long.compareUnsigned(aLow, bLow);
    }

    /** The two-letter country of an IP address (a literal; never resolved), or null when no range holds it. */
    public String country(String ip) {
        if (ip == null) {
            return null;
        }
        String literal = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        long[] a = address(literal);
        if (a == null || literal.chars().allMatch(Character::isDigit)) {
            return null;
        }
        // the last range that starts at or before the address
        int lo = 0;
        int hi = startHigh.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(startHigh[mid], startLow[mid], a[0], a[1]) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || compare(a[0], a[1], endHigh[found], endLow[found]) > 0) {
            return null;
        }
        return countries[country[found]];
    }

    /** How many ranges are loaded. */
    public int size() {
        return startHigh.length;
    }
}
