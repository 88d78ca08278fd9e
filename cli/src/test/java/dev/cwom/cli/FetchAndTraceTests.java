package dev.cwom.cli;

import dev.cwom.cli.client.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** fetch and trace download bodies from the real blob store and check them against the stored digest. */
class FetchAndTraceTests {

    @TempDir
    Path dir;

    @Test
    void fetchesABlobAndVerifiesItsDigest() throws Exception {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);
        byte[] body = "the report\n".getBytes(StandardCharsets.UTF_8);
        JsonNode blob = Rest.blob(body, "text/plain");
        String artifact = Rest.artifact(run, issue, "report", blob.path("uri").asString(),
                blob.path("digest").asString());

        Path file = dir.resolve("report.txt");
        Cli.Result fetched = Cli.run("fetch", artifact, "--verify", "-o", file.toString());
        assertThat(fetched.exitCode()).as(fetched.toString()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(body);
        assertThat(fetched.err()).contains("verified: sha256 matches " + blob.path("digest").asString());

        Path again = dir.resolve("again.txt");
        Cli.Result json = Cli.run("fetch", artifact, "-o", again.toString(), "--output", "json");
        assertThat(json.json().path("verified").asBoolean()).isTrue();
        assertThat(json.json().path("body_digest").asString()).isEqualTo(blob.path("digest").asString());
        assertThat(json.json().path("size_bytes").asInt()).isEqualTo(body.length);

        Cli.Result stranger = Cli.as(null, "fetch", artifact, "-o", dir.resolve("x").toString());
        assertThat(stranger.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    }

    @Test
    void aTamperedBodyIsDetectedAndNotWritten() throws Exception {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);
        String digest = Rest.blob("the real content".getBytes(StandardCharsets.UTF_8), "text/plain")
                .path("digest").asString();
        // A server that answers other bytes under the artifact's uri: what a tampered or corrupted store would do.
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] tampered = "the TAMPERED content".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, tampered.length);
            exchange.getResponseBody().write(tampered);
            exchange.close();
        });
        server.start();
        try {
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/report.txt";
            String artifact = Rest.artifact(run, issue, "report", uri, digest);

            Path file = dir.resolve("report.txt");
            Cli.Result fetched = Cli.run("fetch", artifact, "--verify", "-o", file.toString());
            assertThat(fetched.exitCode()).as(fetched.toString()).isEqualTo(ExitCodes.DIGEST_MISMATCH);
            assertThat(fetched.err()).contains("DIGEST MISMATCH").contains(digest);
            assertThat(file).doesNotExist();
            assertThat(dir).isEmptyDirectory();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void printsARunsTimelineAndLogFromItsTraceBundle() throws Exception {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("events.jsonl"));
            out.write("""
                    {"at":"2026-01-25T10:30:00.000Z","step":"run_started","details":{"executor":"noop"}}
                    {"at":"2026-01-25T10:30:01.500Z","step":"run_finished","details":{"status":"done"}}
                    """.getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("trace.log"));
            out.write("hello from the executor\n".getBytes(StandardCharsets.UTF_8));
        }
        JsonNode blob = Rest.blob(zip.toByteArray(), "application/zip");
        Rest.artifact(run, issue, "trace", blob.path("uri").asString(), blob.path("digest").asString());

        Cli.Result trace = Cli.run("trace", run);
        assertThat(trace.exitCode()).as(trace.toString()).isZero();
        assertThat(trace.out()).contains("run_started").contains("executor=noop").contains("+1.5s")
                .contains("run_finished").contains("--- trace.log ---").contains("hello from the executor");

        Cli.Result json = Cli.run("trace", run, "--output", "json");
        assertThat(json.json().path("events")).hasSize(2);
        assertThat(json.json().path("log").asString()).isEqualTo("hello from the executor\n");

        assertThat(Cli.run("trace", Rest.runningRun(issue, repo)).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
