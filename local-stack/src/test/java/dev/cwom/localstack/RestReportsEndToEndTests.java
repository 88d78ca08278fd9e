package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.Ids;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A Run and an Artifact reported over REST travel through Kafka and the sink and come back from the REST API with
 * what the reporter said about them: tags, meta and the plan's risk notes. On the shared stack, and small.
 */
class RestReportsEndToEndTests {

    @Test
    void tagsMetaAndRiskNotesOfARestReportedRunAndArtifactComeBackOnceTheSinkStoredThem() {
        LocalStack stack = SharedStack.get();
        try (StackClient client = StackClient.of(stack)) {
            String repoId = DemoIssues.restRepoId(client, "e2e/reports-" + Ids.newUlid().substring(18).toLowerCase());
            // planned, not ready: no worker takes it, so the only run is the one reported here
            String issueId = client.post("/cwom/issues", """
                    {"repo": {"kind": "Repo", "id": "%s"}, "title": "Reported by hand", "type": "chore",
                     "status": "planned"}""".formatted(repoId)).path("id").asString();
            String runId = Ids.newUlid();

            client.post("/cwom/runs?wait=30", """
                    {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                     "mode": "human", "status": "running",
                     "plan": {"steps": ["reproduce", "fix"], "risk_notes": ["touches the billing code"]},
                     "tags": ["hotfix", "billing"], "meta": {"ticket": "OPS-42", "review": {"by": "ana", "round": 2}}}"""
                    .formatted(runId, issueId, repoId), 201);
            String artifactId = client.post("/cwom/artifacts?wait=30", """
                    {"produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                     "type": "report", "title": "Postmortem", "uri": "https://example.org/postmortem",
                     "tags": ["postmortem"], "meta": {"audience": "ops"}}""".formatted(runId, issueId), 201)
                    .path("id").asString();

            JsonNode run = client.get("/cwom/runs/" + runId);
            assertThat(run).as("GET /cwom/runs/%s", runId).isNotNull();
            assertThat(run.path("status").asString()).isEqualTo("running");
            assertThat(strings(run.path("tags"))).containsExactly("hotfix", "billing");
            assertThat(run.path("meta").path("ticket").asString()).isEqualTo("OPS-42");
            assertThat(run.path("meta").path("review").path("by").asString()).isEqualTo("ana");
            assertThat(run.path("meta").path("review").path("round").asInt()).isEqualTo(2);
            assertThat(strings(run.path("plan").path("steps"))).containsExactly("reproduce", "fix");
            assertThat(strings(run.path("plan").path("risk_notes"))).containsExactly("touches the billing code");

            JsonNode artifact = client.get("/cwom/artifacts/" + artifactId);
            assertThat(artifact).as("GET /cwom/artifacts/%s", artifactId).isNotNull();
            assertThat(artifact.path("produced_by").path("id").asString()).isEqualTo(runId);
            assertThat(strings(artifact.path("tags"))).containsExactly("postmortem");
            assertThat(artifact.path("meta").properties()).extracting(Map.Entry::getKey).containsExactly("audience");
            assertThat(artifact.path("meta").path("audience").asString()).isEqualTo("ops");
            // outside the blob store: nothing the sink could vouch for
            assertThat(artifact.path("verification").path("status").asString()).isEqualTo("unverified");
        }
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
