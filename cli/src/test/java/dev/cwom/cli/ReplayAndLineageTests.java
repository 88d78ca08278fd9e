package dev.cwom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.cli.client.ExitCodes;
import dev.cwom.json.Digests;
import dev.cwom.model.Ids;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * replay and lineage against the real services. No worker runs here, so the runs are reported over REST: replayable
 * only on the current inputs (docs/provenance.md); a worker's run end to end is local-stack's ReplayEndToEndTests.
 */
class ReplayAndLineageTests {

    @Test
    void replaysARunOnTheCurrentInputsAndSaysWhatDiffersOrWhyNot() {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);

        Cli.Result exact = Cli.run("replay", run);
        assertThat(exact.exitCode()).as(exact.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(exact.err()).contains("NOT_REPLAYABLE").contains("reported over REST");

        Cli.Result current = Cli.run("replay", run, "--inputs", "current", "--idempotency-key", "k-" + run,
                "--output", "json");
        assertThat(current.exitCode()).as(current.toString()).isZero();
        JsonNode answer = current.json();
        assertThat(answer.path("replay_of").asString()).isEqualTo(run);
        assertThat(answer.path("issue_id").asString()).isEqualTo(issue);
        List<String> differs = new ArrayList<>();
        answer.path("differs").forEach(d -> differs.add(d.path("kind").asString()));
        assertThat(differs).contains("Repo", "Issue");

        Cli.Result again = Cli.run("replay", run, "--inputs", "current", "--idempotency-key", "k-" + run);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("Replay of run " + run).contains("attempt " + answer.path("attempt").asInt())
                .contains("differs: Issue " + issue);

        assertThat(Cli.run("replay", Ids.newUlid()).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(Cli.run("replay", run, "--inputs", "yesterday").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.as(null, "replay", run).exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    }

    @Test
    void showsAnArtifactsLineageAndWhoUsedADigest() {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);
        String digest = Digests.sha256(("report " + run).getBytes(StandardCharsets.UTF_8));
        String artifact = Rest.artifact(run, issue, "report", "https://example.org/report.txt", digest);

        Cli.Result text = Cli.run("lineage", artifact);
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("Artifact " + artifact).contains("produced by run " + run)
                .contains("issue " + issue).contains("repo " + repo).contains("inputs (from the run)");
        JsonNode json = Cli.run("lineage", artifact, "--output", "json").json();
        assertThat(json.path("run").path("id").asString()).isEqualTo(run);
        assertThat(json.path("inputs_from").asString()).isEqualTo("run");

        Cli.Result byDigest = Cli.run("lineage", "--digest", digest, "--output", "json");
        assertThat(byDigest.exitCode()).as(byDigest.toString()).isZero();
        assertThat(byDigest.json().path("items")).extracting(i -> i.path("kind").asString() + " "
                + i.path("id").asString()).containsExactly("Artifact " + artifact);
        assertThat(Cli.run("lineage", "--digest", digest).out()).startsWith(artifact).contains("run " + run);

        Cli.Result bad = Cli.run("lineage", "--digest", "sha256:abc");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(bad.err()).contains("INVALID_DIGEST");
        assertThat(Cli.run("lineage").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("lineage", artifact, "--digest", digest).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("lineage", Ids.newUlid()).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
