import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Helper of bench/search.sh, not part of Tollgate. Two modes:
 * <ul>
 * <li>{@code seed <jdbc-url> <owner-id> <count>}: writes {@code count} public APIs with plans and listings straight
 * into a stopped Tollgate's database (the same rows publishing them through the API writes; made-up but realistic
 * words, fixed random seed), so that the next start loads them into the marketplace's snapshot and index;</li>
 * <li>{@code query <base-url> <queries> <warm-up>}: sends mixed marketplace queries one after another (one word, two
 * words, a prefix, a typo, with filters and sorts) and the same number of browses without a search (the baseline: the
 * same endpoint and HTTP stack without the index), and prints the latency percentiles of both.</li>
 * </ul>
 */
public class SearchBench {

    static final String[] DOMAINS = {"weather", "forecast", "finance", "stocks", "currency", "exchange", "maps",
            "geocoding", "routing", "sms", "email", "translation", "language", "images", "vision", "payments",
            "invoices", "crypto", "sports", "football", "news", "headlines", "music", "lyrics", "movies", "books",
            "recipes", "nutrition", "fitness", "health", "flights", "hotels", "travel", "shipping", "tracking",
            "postal", "address", "validation", "fraud", "identity", "weather-alerts", "air-quality", "pollen",
            "earthquakes", "tides", "astronomy", "calendar", "holidays", "timezones", "quotes", "jokes", "trivia",
            "dictionary", "thesaurus", "speech", "transcription", "pdf", "barcode", "qrcode", "screenshots"};
    static final String[] WORDS = {"fast", "simple", "global", "realtime", "historical", "accurate", "free",
            "enterprise", "lookup", "search", "convert", "detect", "verify", "generate", "analyze", "stream",
            "batch", "daily", "hourly", "city", "country", "station", "provider", "service", "data", "feed",
            "insights", "metrics", "score", "index", "catalog", "records", "events", "alerts", "reports", "json",
            "rest", "webhook", "secure", "reliable", "open", "public", "private", "smart", "cloud", "edge", "mobile"};
    static final String[] CATEGORIES = {"weather", "finance", "maps", "communication", "language", "media",
            "commerce", "sports", "entertainment", "health", "travel", "logistics", "security", "science",
            "productivity", "data", "developer-tools", "education", "food", "government"};

    public static void main(String[] args) throws Exception {
        if (args[0].equals("seed")) {
            seed(args[1], UUID.fromString(args[2]), Integer.parseInt(args[3]));
        } else {
            query(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    static void seed(String url, UUID owner, int count) throws Exception {
        Random random = new Random(42);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            db.setAutoCommit(false);
            try (PreparedStatement api = db.prepareStatement("insert into apis (id, owner_id, name, slug, description,"
                    + " base_url, version, category, tags, visibility, status, timeout_ms, created_at, updated_at)"
                    + " values (?, ?, ?, ?, ?, 'https://api.example.com', '1.0', ?, ?, 'public', 'active', 30000, ?, ?)");
                    PreparedStatement plan = db.prepareStatement("insert into plans (id, api_id, name, type,"
                            + " price_per_call, monthly_price, included_calls, is_default, created_at, updated_at)"
                            + " values (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)");
                    PreparedStatement listing = db.prepareStatement("insert into marketplace_listings (api_id,"
                            + " category, published_at, updated_at) values (?, ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    UUID id = UUID.randomUUID();
                    String domain = pick(random, DOMAINS);
                    String name = capital(pick(random, WORDS)) + " " + capital(domain) + " " + capital(pick(random, WORDS))
                            + " " + i;
                    StringBuilder description = new StringBuilder();
                    for (int w = 0; w < 25; w++) {
                        description.append(w % 6 == 0 ? pick(random, DOMAINS) : pick(random, WORDS)).append(' ');
                    }
                    Timestamp at = Timestamp.from(start.plusSeconds(i * 600L));
                    api.setObject(1, id);
                    api.setObject(2, owner);
                    api.setString(3, name);
                    api.setString(4, "bench-" + i);
                    api.setString(5, description.toString().trim());
                    api.setString(6, pick(random, CATEGORIES));
                    api.setString(7, String.join(",", pick(random, DOMAINS), pick(random, WORDS), pick(random, DOMAINS)));
                    api.setTimestamp(8, at);
                    api.setTimestamp(9, at);
                    api.addBatch();
                    int kind = random.nextInt(10);
                    plan.setObject(1, UUID.randomUUID());
                    plan.setObject(2, id);
                    plan.setString(3, kind < 5 ? "Free" : kind < 8 ? "Metered" : "Pro");
                    plan.setString(4, kind < 5 ? "free" : kind < 8 ? "pay_per_call" : "subscription");
                    plan.setLong(5, kind >= 5 && kind < 8 ? 1_000L * (1 + random.nextInt(50)) : 0);
                    plan.setLong(6, kind >= 8 ? 1_000_000L * (5 + random.nextInt(95)) : 0);
                    plan.setBoolean(7, kind < 5);
                    plan.setTimestamp(8, at);
                    plan.setTimestamp(9, at);
                    plan.addBatch();
                    listing.setObject(1, id);
                    listing.setString(2, pick(random, CATEGORIES));
                    listing.setTimestamp(3, at);
                    listing.setTimestamp(4, at);
                    listing.addBatch();
                    if (i % 1000 == 999) {
                        api.executeBatch();
                        plan.executeBatch();
                        listing.executeBatch();
                    }
                }
                api.executeBatch();
                plan.executeBatch();
                listing.executeBatch();
            }
            db.createStatement().executeUpdate("update change_versions set version = version + 1");
            db.commit();
        }
        System.out.println("seeded " + count + " listings");
    }

    static void query(String base, int queries, int warmUp) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(7);
        List<String> searches = new ArrayList<>();
        List<String> browses = new ArrayList<>();
        for (int i = 0; i < queries + warmUp; i++) {
            searches.add(search(random));
            browses.add("sort=" + pick(random, new String[] {"popular", "newest", "rating", "price"}) + "&category="
                    + pick(random, CATEGORIES) + "&skip=" + random.nextInt(5) * 20);
        }
        long[] search = run(http, base, searches, warmUp);
        long[] browse = run(http, base, browses, warmUp);
        System.out.printf("search %s%n", summary(search));
        System.out.printf("browse %s%n", summary(browse));
    }

    /** One mixed query: 40% a word, 20% two words, 15% a prefix, 15% a typo, 10% a word with filters and a sort. */
    static String search(Random random) {
        int kind = random.nextInt(20);
        String word = random.nextBoolean() ? pick(random, DOMAINS) : pick(random, WORDS);
        String q;
        String extra = "";
        if (kind < 8) {
            q = word;
        } else if (kind < 12) {
            q = word + " " + pick(random, WORDS);
        } else if (kind < 15) {
            q = word.substring(0, Math.min(word.length(), 3 + random.nextInt(2)));
        } else if (kind < 18) {
            int at = 1 + random.nextInt(Math.max(1, word.length() - 2));
            q = word.substring(0, at) + (char) ('a' + random.nextInt(26)) + word.substring(at + 1);
        } else {
            q = word;
            extra = "&category=" + pick(random, CATEGORIES) + "&sort=" + pick(random,
                    new String[] {"rating", "newest", "price", "popular"}) + "&pricing=" + pick(random,
                            new String[] {"free", "pay_per_call", "subscription"});
        }
        return "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + extra;
    }

    static long[] run(HttpClient http, String base, List<String> queries, int warmUp) throws Exception {
        long[] micros = new long[queries.size() - warmUp];
        for (int i = 0; i < queries.size(); i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/marketplace/listings?limit=20&"
                    + queries.get(i))).timeout(Duration.ofSeconds(30)).build();
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = (System.nanoTime() - started) / 1000;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(queries.get(i) + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            if (i >= warmUp) {
                micros[i - warmUp] = took;
            }
        }
        Arrays.sort(micros);
        return micros;
    }

    static String summary(long[] sorted) {
        return String.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms (%d queries)", at(sorted, 0.50),
                at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1] / 1000.0, sorted.length);
    }

    static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
    }

    static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    static String capital(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
