package dev.cwom.ingest.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Runs and artifacts are written by the sink; these tests write rows the way it does and read them over REST. */
class RunAndArtifactApiTests extends IngestApiTest {

    @Test
    void readsARunAndItsArtifactsAsTheSinkStoredThem() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String run = insertRun(issue, repo, "done");
        String report = insertArtifact(run, issue, "report");
        String trace = insertArtifact(run, issue, "trace");

        JsonNode read = http.get("/cwom/runs/" + run).json();
        assertThat(read.get("kind").asString()).isEqualTo("Run");
        assertThat(read.get("for_issue").get("id").asString()).isEqualTo(issue);
        assertThat(read.get("repo").get("id").asString()).isEqualTo(repo);
        assertThat(read.get("status").asString()).isEqualTo("done");
        assertThat(read.get("telemetry").get("duration_s").asDouble()).isEqualTo(12.5);
        assertThat(read.has("worker_id")).as("the sink's bookkeeping stays out of the model").isFalse();

        JsonNode artifact = http.get("/cwom/artifacts/" + report).json();
        assertThat(artifact.get("produced_by").get("id").asString()).isEqualTo(run);
        assertThat(artifact.get("size_bytes").asLong()).isEqualTo(42);

        assertThat(idsOf(http.get("/cwom/runs/" + run + "/artifacts").json().get("items")))
                .containsExactly(report, trace);
        assertThat(idsOf(http.get("/cwom/runs/" + run + "/artifacts?type=trace").json().get("items")))
                .containsExactly(trace);
        assertThat(idsOf(http.get("/cwom/issues/" + issue + "/artifacts?type=report").json().get("items")))
                .containsExactly(report);

        JsonNode detail = http.get("/cwom/issues/" + issue).json();
        assertThat(idsOf(detail.get("runs"))).containsExactly(run);
        assertThat(detail.get("runs").get(0).get("status").asString()).isEqualTo("done");
        assertThat(idsOf(detail.get("issue").get("runs"))).containsExactly(run);
    }

    @Test
    void listsRunsByIssueAndStatus() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String failed = insertRun(issue, repo, "failed");
        String running = insertRun(issue, repo, "running");

        assertThat(idsOf(http.get("/cwom/runs?issue_id=" + issue).json().get("items"))).containsExactly(failed, running);
        assertThat(idsOf(http.get("/cwom/runs?issue_id=" + issue + "&status=running").json().get("items")))
                .containsExactly(running);
        problem(http.get("/cwom/runs?status=exploded"), 400, "VALIDATION_FAILED");
        problem(http.get("/cwom/runs?issue_id=123"), 400, "VALIDATION_FAILED");
    }

    @Test
    void unknownRunsAndArtifactsAreNotFound() {
        problem(http.get("/cwom/runs/" + Ids.newUlid()), 404, "NOT_FOUND");
        problem(http.get("/cwom/artifacts/" + Ids.newUlid()), 404, "NOT_FOUND");
        problem(http.get("/cwom/runs/" + Ids.newUlid() + "/artifacts"), 404, "NOT_FOUND");
        problem(http.get("/cwom/runs/" + Ids.newUlid() + "/artifacts?type=nope"), 400, "VALIDATION_FAILED");
    }

    @Test
    void restWritesOfRunsAndArtifactsAnswer501AfterCheckingTheBody() {
        String repo = createRepo();
        String issue = createIssue(repo);
        String run = insertRun(issue, repo, "running");

        JsonNode post = problem(http.post("/cwom/runs", """
                {"for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"}, "mode": "human"}"""
                .formatted(issue, repo)), 501, "NOT_IMPLEMENTED");
        assertThat(post.get("detail").asString()).contains("cwom.runs.v1", "nothing was stored");
        problem(http.patch("/cwom/runs/" + run, "{\"status\": \"done\"}"), 501, "NOT_IMPLEMENTED");
        problem(http.post("/cwom/artifacts", """
                {"produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "report", "title": "R", "uri": "https://x/r"}""".formatted(run, issue)), 501, "NOT_IMPLEMENTED");

        problem(http.post("/cwom/runs", "{\"mode\": \"human\"}"), 400, "VALIDATION_FAILED");
        problem(http.patch("/cwom/runs/" + run, "{\"status\": \"bogus\"}"), 400, "VALIDATION_FAILED");
        problem(http.patch("/cwom/runs/" + Ids.newUlid(), "{\"status\": \"done\"}"), 404, "NOT_FOUND");
        problem(http.post("/cwom/artifacts", "{\"type\": \"report\"}"), 400, "VALIDATION_FAILED");
        assertThat(jdbc.sql("SELECT count(*) FROM cwom_runs WHERE issue_id = :i").param("i", issue)
                .query(Long.class).single()).isEqualTo(1);
    }

    private String insertRun(String issue, String repo, String status) {
        String id = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, executor, telemetry, worker_id,
                                               created_at, updated_at)
                        VALUES (:id, :issue, :repo, :status, 'agent',
                                '{"actor": {"actor_kind": "agent", "actor_id": "w1"}, "toolchain": []}',
                                '{"started_at": "2026-01-25T10:00:00.000Z", "ended_at": "2026-01-25T10:00:12.500Z",
                                  "duration_s": 12.5}', 'worker-1', now(), now())""")
                .param("id", id).param("issue", issue).param("repo", repo).param("status", status).update();
        return id;
    }

    private String insertArtifact(String run, String issue, String type) {
        String id = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, size_bytes, created_at, updated_at)
                        VALUES (:id, :run, :issue, :type, 'Output', 'https://blobs/x', 42, now(), now())""")
                .param("id", id).param("run", run).param("issue", issue).param("type", type).update();
        return id;
    }
}
