package dev.cwom.cli;

import dev.cwom.cli.client.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.model.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SubmitCommandTests {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static String yaml(String slug) {
        return """
                repo:
                  name: cli
                  slug: %s
                issue:
                  title: Summarise the outage
                  type: research
                  status: ready
                constraint_snapshot:
                  scope: run
                  constraints:
                    time: {available_minutes: 5}
                context_packets:
                  - version: "1"
                    summary: What we know so far
                """.formatted(slug);
    }

    @Test
    void submitsAYamlFileOverRestAndPrintsTheIssueId() throws Exception {
        Cli.Result submitted = Cli.run("submit", file("issue.yaml", yaml("acme/submit-" + Ids.newUlid()
                .toLowerCase())).toString());

        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        String issueId = submitted.out().strip();
        assertThat(Ids.isUlid(issueId)).as(submitted.toString()).isTrue();
        JsonNode view = Rest.ingest("GET", "/cwom/issues/" + issueId, null);
        assertThat(view.path("issue").path("status").asString()).isEqualTo("ready");
        assertThat(view.path("issue").path("title").asString()).isEqualTo("Summarise the outage");
        assertThat(view.path("context_packets")).hasSize(1);
        assertThat(view.path("context_packets").get(0).path("summary").asString()).isEqualTo("What we know so far");
        assertThat(view.path("constraint_snapshot").path("constraints").path("time").path("available_minutes")
                .asInt()).isEqualTo(5);
    }

    @Test
    void aSecondSubmissionReusesTheRepoOfItsSlugAndAnswersJson() throws Exception {
        String slug = "acme/again-" + Ids.newUlid().toLowerCase();
        Cli.Result first = Cli.run("submit", file("a.yaml", yaml(slug)).toString(), "--output", "json");
        Cli.Result second = Cli.run("submit", file("b.json", """
                {"repo": {"name": "cli", "slug": "%s"},
                 "issue": {"title": "Another", "type": "doc"}}""".formatted(slug)).toString(), "--output", "json");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.json().path("repo_id").asString()).isEqualTo(first.json().path("repo_id").asString());
        assertThat(second.json().path("status").asString()).isEqualTo("planned");
        assertThat(first.json().path("context_packet_ids")).hasSize(1);
        assertThat(first.json().path("via").asString()).isEqualTo("rest");
    }

    @Test
    void submitsThroughKafkaWhereIntakeStoresTheIssue() throws Exception {
        Cli.Result sent = Cli.run("submit", file("k.yaml", yaml("acme/kafka-" + Ids.newUlid().toLowerCase()))
                .toString(), "--via", "kafka", "--kafka", dev.cwom.testing.SharedKafka.bootstrapServers(),
                "--registry-url", CliServices.REGISTRY);

        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        String issueId = sent.out().strip();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Cli.Result shown = Cli.run("show", issueId, "--kind", "issue", "--output", "json");
            assertThat(shown.exitCode()).as(shown.toString()).isZero();
            assertThat(shown.json().path("context_packets")).hasSize(1);
            assertThat(shown.json().path("issue").path("status").asString()).isEqualTo("ready");
        });
    }

    @Test
    void aFileOfTheWrongShapeIsAUsageErrorNamingTheKey() throws Exception {
        Cli.Result result = Cli.run("submit", file("bad.yaml", """
                issue: {title: x, type: doc, repo: {kind: Repo, id: 01JJ8Z5K4T3W6X7Y8Z9ABCDE01}}
                packets: []
                """).toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("$.packets").contains("unknown key");
    }

    @Test
    void aValidationErrorOfTheApiIsPrintedWithItsFieldErrors() throws Exception {
        Cli.Result result = Cli.run("submit", file("invalid.yaml", """
                repo: {name: cli, slug: acme/invalid-%s}
                issue: {type: doc, title: "  "}
                """.formatted(Ids.newUlid().toLowerCase())).toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(result.err()).contains("HTTP 400").contains("VALIDATION_FAILED").contains("$.title");
    }
}
