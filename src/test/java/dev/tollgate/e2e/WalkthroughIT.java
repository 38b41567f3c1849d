package dev.tollgate.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The walk-throughs of docs/GATEWAY.md, docs/MARKETPLACE.md and docs/BILLING.md, run as the shell scripts they are against the packaged
 * application, so the docs cannot rot ({@code WalkthroughDocsTest} keeps the docs' text and the scripts identical).
 */
class WalkthroughIT {

    private static final String ADMIN_PASSWORD = "walk-through admin password";

    @TempDir
    Path dataDir;

    @Test
    void the_gateway_marketplace_and_money_walkthroughs_run_to_the_end_and_again() throws Exception {
        assumeTrue(installed("curl") && installed("jq"),
                "the walk-throughs need curl and jq (apt-get install -y curl jq); .ci/run installs them");
        try (RunningApp app = RunningApp.start(dataDir, Map.of("TOLLGATE_ALLOW_PRIVATE_UPSTREAMS", "true",
                "TOLLGATE_ADMIN_PASSWORD", ADMIN_PASSWORD))) {
            String first = run("docs/walkthrough/gateway.sh", app);
            assertThat(first).contains("HTTP/1.1 200").contains("\"forecast\":\"sunny\"")
                    .contains("\"path\":\"/forecast\"");

            // the second time the users, the API and the plan exist: it logs in and reuses them
            assertThat(run("docs/walkthrough/gateway.sh", app)).contains("HTTP/1.1 200");

            String marketplace = run("docs/walkthrough/marketplace.sh", app);
            assertThat(marketplace).contains("\"endpoint_count\":1").contains("<mark>Weather</mark>")
                    .contains("GET /forecast").contains("\"rating\":5,\"review_count\":1");
            assertThat(run("docs/walkthrough/marketplace.sh", app)).contains("\"review_count\":1");

            String money = run("docs/walkthrough/billing.sh", app);
            assertThat(money).contains("\"status\":\"paid\"").contains("\"reference\":\"bank transfer 2027-001\"")
                    .contains("\"type\":\"charge\"");
        }
    }

    /** Runs the script as a newcomer would, from the repository's root; fails with its output unless it exits 0. */
    private static String run(String script, RunningApp app) throws Exception {
        Path output = Files.createTempFile("walkthrough", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", script)).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(Map.of("TOLLGATE", app.baseUrl(), "UPSTREAM_PORT",
                Integer.toString(freePort()), "ADMIN_PASSWORD", ADMIN_PASSWORD));
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(3, TimeUnit.MINUTES);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("%s finished within 3 minutes:%n%s", script, text).isTrue();
            assertThat(process.exitValue()).as("exit status of %s:%n%s", script, text).isZero();
            return text;
        } finally {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            Files.deleteIfExists(output);
        }
    }

    private static boolean installed(String command) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
