package dev.tollgate.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walk-throughs people paste from the docs are the scripts that {@code WalkthroughIT} runs: the text from the
 * script's {@code source} line on must appear verbatim in the document.
 */
class WalkthroughDocsTest {

    @ParameterizedTest
    @CsvSource({"docs/GATEWAY.md, docs/walkthrough/gateway.sh", "docs/BILLING.md, docs/walkthrough/billing.sh",
            "docs/MARKETPLACE.md, docs/walkthrough/marketplace.sh"})
    void the_document_shows_exactly_the_script_the_tests_run(String document, String script) throws IOException {
        String scriptText = Files.readString(Path.of(script));
        String pasted = scriptText.substring(scriptText.indexOf("source docs/walkthrough/helpers.sh"));
        assertThat(Files.readString(Path.of(document))).contains("```sh\n" + pasted + "```\n");
        assertThat(Path.of(script)).isExecutable();
    }
}
