package dev.tollgate.metering.rollup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.MeteringConfig;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

/**
 * Feeds synthetic usage events through the usage pipeline's own writer — {@link UsageRollups#fold},
 * {@link UsageRollups#flush} once a simulated minute and {@link UsageRollups#maintain} every ten, exactly as
 * {@code UsageRecorder} calls them — into a Tollgate database, on a clock that walks through the last DAYS days.
 * <p>
 * {@code java -cp ... dev.tollgate.metering.rollup.GenerateUsage <jdbc-url> <user> <password> <ids-file> <events>
 * <days>}; the ids file holds lines {@code api <uuid> <slug>} (the first API is the busy one: 40% of the calls) and
 * {@code consumer <uuid> <key-uuid>}.
 */
public final class GenerateUsage {

    private static final String[] COUNTRIES = {"US", "DE", "GB", "FR", "IN", "BR", "JP", "CA", "NL", "SE", "ES",
            "AU"};
    private static final String[][] ENDPOINTS = {{"GET", "/items/%d"}, {"GET", "/items"}, {"POST", "/items"},
            {"PUT", "/items/%d"}, {"DELETE", "/items/%d"}, {"GET", "/search"}, {"GET", "/users/%d/orders"},
            {"POST", "/orders"}};

    public static void main(String[] args) throws Exception {
        String url = args[0];
        AgroalDataSource dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(cp -> cp.maxSize(4).connectionFactoryConfiguration(cf -> cf.jdbcUrl(url)
                        .principal(new NamePrincipal(args[1])).credential(new SimplePassword(args[2])))));
        List<UUID> apis = new ArrayList<>();
        List<String> slugs = new ArrayList<>();
        List<UUID> consumers = new ArrayList<>();
        List<UUID> keys = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[3]))) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("api")) {
                apis.add(UUID.fromString(f[1]));
                slugs.add(f[2]);
            } else if (f[0].equals("consumer")) {
                consumers.add(UUID.fromString(f[1]));
                keys.add(UUID.fromString(f[2]));
            }
        }
        long events = Long.parseLong(args[4]);
        int days = Integer.parseInt(args[5]);
        long minutes = days * 1440L;
        Instant end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant start = end.minus(Duration.ofDays(days));
        MutableClock clock = new MutableClock(start);
        UsageRollups rollups = new UsageRollups(dataSource, clock, new Config(), "generator");
        Random random = new Random(42);
        long made = 0;
        long began = System.nanoTime();
        long nextReport = events / 10;
        long foldNanos = 0;
        long flushNanos = 0;
        long maintainNanos = 0;
        List<UsageEvent> batch = new ArrayList<>(1024);
        for (long m = 0; m < minutes; m++) {
            Instant minute = start.plusSeconds(60 * m);
            // a daily wave around the mean: a third more calls at the busiest hour, a third fewer at the quietest
            double hour = (minute.getEpochSecond() / 3600 % 24) / 24.0;
            double expected = (double) events / minutes * (1 + Math.sin(2 * Math.PI * hour) / 3);
            long due = (long) expected + (random.nextDouble() < expected - (long) expected ? 1 : 0);
            if (m == minutes - 1) {
                due = Math.max(0, events - made);
            }
            batch.clear();
            for (long i = 0; i < due; i++) {
                batch.add(event(random, minute, apis, slugs, consumers, keys));
            }
            made += batch.size();
            clock.now = minute.plusSeconds(59);
            long t0 = System.nanoTime();
            rollups.fold(batch);
            clock.now = minute.plusSeconds(61);
            long t1 = System.nanoTime();
            rollups.flush(false);
            long t2 = System.nanoTime();
            if (m % 10 == 9) {
                rollups.maintain();
            }
            long t3 = System.nanoTime();
            foldNanos += t1 - t0;
            flushNanos += t2 - t1;
            maintainNanos += t3 - t2;
            if (made >= nextReport) {
                double seconds = (System.nanoTime() - began) / 1e9;
                System.err.printf("  %,d of %,d events (%d%%), simulated %s, %.0f s, %,.0f events/s%n", made, events,
                        made * 100 / events, minute, seconds, made / seconds);
                nextReport += events / 10;
            }
        }
        clock.now = end.plusSeconds(61);
        rollups.flush(true);
        for (int i = 0; i < 20; i++) {
            rollups.maintain();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        System.err.printf("time in fold %.1f s, flush %.1f s, maintain %.1f s%n", foldNanos / 1e9, flushNanos / 1e9,
                maintainNanos / 1e9);
        System.err.printf("generated %,d events over %d days in %.0f s (%,.0f events/s)%n", made, days, seconds,
                made / seconds);
        dataSource.close();
    }

    private static UsageEvent event(Random random, Instant minute, List<UUID> apis, List<String> slugs,
            List<UUID> consumers, List<UUID> keys) {
        int api = random.nextDouble() < 0.4 ? 0 : 1 + random.nextInt(apis.size() - 1);
        // consumers by a rough power law: a few call a lot
        int consumer = (int) Math.min(consumers.size() - 1, Math.floor(Math.pow(random.nextDouble(), 2.5)
                * consumers.size()));
        String[] endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
        String path = "/gw/" + slugs.get(api) + String.format(endpoint[1], 1 + random.nextInt(5000));
        double r = random.nextDouble();
        int status = r < 0.93 ? 200 : r < 0.97 ? 404 : r < 0.99 ? 429 : 502;
        int latency = (int) Math.min(60_000, Math.round(Math.exp(3.7 + 0.6 * random.nextGaussian())));
        long at = minute.toEpochMilli() + random.nextInt(60_000);
        return new UsageEvent(UUID.randomUUID().toString(), apis.get(api), consumers.get(consumer), keys.get(consumer),
                null, endpoint[0], path, status, latency, status == 429 ? -1 : latency - 2, 120, 900, at,
                status != 429, COUNTRIES[consumer % COUNTRIES.length], null);
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Tollgate's defaults. */
    static final class Config implements MeteringConfig {
        @Override
        public int queueCapacity() {
            return 100_000;
        }

        @Override
        public int batchSize() {
            return 2000;
        }

        @Override
        public Duration flushInterval() {
            return Duration.ofMillis(200);
        }

        @Override
        public Optional<String> countryHeader() {
            return Optional.empty();
        }

        @Override
        public Optional<java.nio.file.Path> geoipDatabase() {
            return Optional.empty();
        }

        @Override
        public double rawSample() {
            return 1.0;
        }

        @Override
        public Duration rawRetention() {
            return Duration.ofDays(30);
        }

        @Override
        public Duration minuteRollupRetention() {
            return Duration.ofDays(35);
        }

        @Override
        public Duration hourRollupRetention() {
            return Duration.ofDays(400);
        }
    }
}
