package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.model.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Provenance on the whole running pipeline (docs/provenance.md): the demo's REST Issue runs on a real worker, its
 * report's lineage names what the run was pinned to, and a replay runs again on exactly those inputs, even after the
 * Issue moved on. On the shared stack, and small.
 */
class ProvenanceEndToEndTests {

    private static final Duration TIME_LIMIT = Duration.ofMinutes(2);

    @Test
    void aDemoArtifactsLineageNamesItsPinnedInputsAndAReplayRunsOnIdenticalDigests() {
        LocalStack stack = SharedStack.get();
        try (StackClient client = StackClient.of(stack)) {
            String repoId = DemoIssues.restRepoId(client, "e2e/provenance-"
                    + Ids.newUlid().substring(18).toLowerCase());
            String issueId = client.post("/cwom/issues", DemoIssues.restIssue(repoId, "Explain the outbox relay"))
                    .path("id").asString();
            JsonNode original = awaitRun(client, issueId, null);
            String runId = original.path("id").asString();
            JsonNode report = await("the run's report").atMost(Duration.ofSeconds(60)).until(() -> StackClient.items(
                    client.get("/cwom/runs/" + runId + "/artifacts?type=report")).stream().findFirst().orElse(null),
                    a -> a != null);

            JsonNode lineage = client.get("/cwom/artifacts/" + report.path("id").asString() + "/lineage");
            assertThat(lineage).isNotNull();
            assertThat(lineage.path("run").path("id").asString()).isEqualTo(runId);
            assertThat(lineage.path("inputs_from").asString()).isEqualTo("work_order");
            assertThat(kinds(lineage.path("inputs"))).contains("Repo", "Issue", "DoctrineRef");
            assertThat(lineage.path("policy").path("namespace").asString()).isEqualTo("cwom.operator");
            assertThat(lineage.path("issue").path("id").asString()).isEqualTo(issueId);
            assertThat(lineage.path("repo").path("id").asString()).isEqualTo(repoId);
            assertThat(lineage.path("requested_by").asString()).isNotBlank();
            assertThat(lineage.path("worker").asString()).isNotBlank();
            assertThat(lineage.path("trace").path("digest").asString()).startsWith("sha256:");
            assertThat(StackClient.items(client.get("/cwom/lineage?digest=" + report.path("digest").asString())))
                    .extracting(i -> i.path("id").asString()).contains(report.path("id").asString());

            // the Issue is done now: its canonical JSON is not what the run saw; the replay still carries that
            JsonNode replay = client.post("/cwom/runs/" + runId + "/replay", "{}", 202);
            assertThat(digests(replay.path("pinned"))).containsExactlyElementsOf(digests(lineage.path("inputs")));

            JsonNode replayed = awaitRun(client, issueId, runId);
            assertThat(replayed.path("meta").path("attempt").asInt()).isEqualTo(replay.path("attempt").asInt());
            assertThat(replayed.path("inputs")).as("the replayed Run's pinned inputs").isEqualTo(original.path("inputs"));
            assertThat(StackClient.items(client.get("/cwom/runs?issue_id=" + issueId)))
                    .extracting(r -> r.path("id").asString()).contains(runId, replayed.path("id").asString());
            JsonNode replayReport = await("the replay's report").atMost(Duration.ofSeconds(60)).until(() ->
                    StackClient.items(client.get("/cwom/runs/" + replayed.path("id").asString()
                            + "/artifacts?type=report")).stream().findFirst().orElse(null), a -> a != null);
            JsonNode replayLineage = client.get("/cwom/artifacts/" + replayReport.path("id").asString() + "/lineage");
            assertThat(replayLineage.path("replay_of").asString()).isEqualTo(runId);
            assertThat(digests(replayLineage.path("inputs"))).as("Repo and Issue too, as the original saw them")
                    .containsExactlyElementsOf(digests(lineage.path("inputs")));
        }
    }

    /** The Issue's run that ended done: the first one, or the one replaying {@code replayOf}. */
    private static JsonNode awaitRun(StackClient client, String issueId, @Nullable String replayOf) {
        return await("a done run of Issue " + issueId).atMost(TIME_LIMIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> StackClient.items(client.get("/cwom/runs?issue_id=" + issueId + "&status=done")).stream()
                        .filter(r -> replayOf == null ? !r.path("meta").has("replay_of")
                                : replayOf.equals(r.path("meta").path("replay_of").asString()))
                        .findFirst().orElse(null), r -> r != null);
    }

    private static List<String> kinds(JsonNode refs) {
        List<String> kinds = new ArrayList<>();
        refs.forEach(ref -> kinds.add(ref.path("kind").asString()));
        return kinds;
    }

    private static List<String> digests(JsonNode refs) {
        List<String> digests = new ArrayList<>();
        refs.forEach(ref -> digests.add(ref.path("digest").asString()));
        return digests;
    }
}
