package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real browser: {@code src/test/browser/console.test.mjs} (puppeteer-core driving the system's
 * Chromium) against the shared running stack, run with {@code node}, its output streamed here, failing on a non-zero
 * exit. It needs {@code chromium} and the script's {@code npm ci}; {@code .ci/run} installs both. Under
 * {@code CI=true} a missing one fails the test; elsewhere the test is skipped saying what to install.
 * Screenshots: {@code target/console-screenshots/}.
 */
class ConsoleBrowserTests {

    private static final Path SCRIPT_DIR = Path.of("src/test/browser").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots").toAbsolutePath();
    private static final long TIMEOUT_SECONDS = 240;

    @Test
    void signInSubmitAndSeeTheRunVerifiedInABrowser() throws Exception {
        Optional<Path> node = onPath("node");
        Optional<Path> chromium = Optional.ofNullable(System.getenv("CWOM_CHROMIUM")).map(Path::of)
                .or(() -> onPath("chromium")).or(() -> onPath("chromium-browser"));
        boolean installed = Files.isDirectory(SCRIPT_DIR.resolve("node_modules/puppeteer-core"));
        String missing = (node.isEmpty() ? " node (Node.js 20+)" : "")
                + (chromium.isEmpty() ? " chromium (apt-get install chromium, or set CWOM_CHROMIUM)" : "")
                + (installed ? "" : " puppeteer-core (npm ci --prefix local-stack/src/test/browser)");
        if (!missing.isEmpty()) {
            String message = "The console's browser test needs:" + missing + "; .ci/run installs them";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }

        LocalStack stack = SharedStack.get();
        ProcessBuilder builder = new ProcessBuilder(node.orElseThrow().toString(), "console.test.mjs")
                .directory(SCRIPT_DIR.toFile()).redirectErrorStream(true);
        builder.environment().put("CONSOLE_URL", stack.consoleUrl());
        builder.environment().put("CWOM_TOKEN", stack.credentials().submit());
        builder.environment().put("CHROMIUM", chromium.orElseThrow().toString());
        builder.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
        Process browser = builder.start();
        Thread output = Thread.ofPlatform().daemon().name("console-browser-output").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                    StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> System.out.println("[browser] " + line));
            } catch (IOException e) {
                System.out.println("[browser] output ended: " + e.getMessage());
            }
        });
        boolean ended = browser.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        output.join(5_000);

        assertThat(ended).as("the browser test ended within %d s", TIMEOUT_SECONDS).isTrue();
        assertThat(browser.exitValue()).as("the browser test's exit code (its output is above)").isZero();
        try (Stream<Path> shots = Files.list(SCREENSHOTS)) {
            assertThat(shots.map(p -> p.getFileName().toString()).toList()).contains("05-run.png");
        }
    }

    private static Optional<Path> onPath(String command) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }
}
