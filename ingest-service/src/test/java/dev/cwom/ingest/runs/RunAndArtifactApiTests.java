package dev.cwom.ingest.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunEventMapping;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.Topics;
import dev.cwom.ingest.Http;
import dev.cwom.ingest.KafkaTopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    void restWritesOfRunsAndArtifactsArePublishedAsEventsAndAnswer202WithALocation() {
        String repo = createRepo();
        String issue = createIssue(repo);
        String reported = Ids.newUlid();

        Http.Response post = http.post("/cwom/runs", """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "done", "outputs": {"result_summary": "fixed by hand"}}"""
                .formatted(reported, issue, repo));
        assertThat(post.status()).as(post.toString()).isEqualTo(202);
        assertThat(post.headers().firstValue("Location")).hasValue("/cwom/runs/" + reported);
        List<Object> runEvents = eventsWithKey(Topics.RUNS, reported, 2);
        assertThat(runEvents).extracting(e -> ((RunEvent) e).getPayload().getClass().getSimpleName())
                .containsExactly("RunStarted", "RunFinished");
        RunFinished finished = (RunFinished) ((RunEvent) runEvents.get(1)).getPayload();
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.done);
        assertThat(finished.getResultSummary()).isEqualTo("fixed by hand");

        String run = insertRun(issue, repo, "running");
        Http.Response patch = http.patch("/cwom/runs/" + run, """
                {"status": "failed", "failure": {"category": "test", "message": "2 tests failed"}}""");
        assertThat(patch.status()).as(patch.toString()).isEqualTo(202);
        RunFinished failed = (RunFinished) ((RunEvent) eventsWithKey(Topics.RUNS, run, 1).getFirst()).getPayload();
        assertThat(failed.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(failed.getFailure().getMessage()).isEqualTo("2 tests failed");

        Http.Response artifact = http.post("/cwom/artifacts", """
                {"produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "report", "title": "R", "uri": "https://x/r"}""".formatted(run, issue));
        assertThat(artifact.status()).as(artifact.toString()).isEqualTo(202);
        String artifactId = artifact.json().get("id").asString();
        assertThat(artifact.headers().firstValue("Location")).hasValue("/cwom/artifacts/" + artifactId);
        assertThat(eventsWithKey(Topics.ARTIFACTS, run, 1)).singleElement()
                .satisfies(e -> assertThat(((ArtifactCreated) e).getArtifactId()).isEqualTo(artifactId));

        problem(http.post("/cwom/artifacts", """
                {"produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "report", "title": "R", "uri": "https://x/r"}""".formatted(Ids.newUlid(), issue)), 422,
                "UNKNOWN_REFERENCE");
        problem(http.patch("/cwom/runs/" + run + "?wait=31", "{\"status\": \"done\"}"), 400, "VALIDATION_FAILED");
        problem(http.post("/cwom/runs", "{\"mode\": \"human\"}"), 400, "VALIDATION_FAILED");
        problem(http.patch("/cwom/runs/" + run, "{\"status\": \"bogus\"}"), 400, "VALIDATION_FAILED");
        problem(http.patch("/cwom/runs/" + Ids.newUlid(), "{\"status\": \"done\"}"), 404, "NOT_FOUND");
        problem(http.post("/cwom/artifacts", "{\"type\": \"report\"}"), 400, "VALIDATION_FAILED");
        assertThat(jdbc.sql("SELECT count(*) FROM cwom_runs WHERE issue_id = :i").param("i", issue)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void tagsMetaAndRiskNotesOfARestReportedRunOrArtifactTravelInTheirEvents() {
        String repo = createRepo();
        String issue = createIssue(repo);
        String run = Ids.newUlid();

        Http.Response post = http.post("/cwom/runs", """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running",
                 "plan": {"steps": ["reproduce", "fix"], "risk_notes": ["touches the billing code"]},
                 "tags": ["hotfix", "billing"], "meta": {"ticket": "OPS-42", "review": {"by": "ana", "round": 2}}}"""
                .formatted(run, issue, repo));
        assertThat(post.status()).as(post.toString()).isEqualTo(202);
        RunEvent startedEvent = (RunEvent) eventsWithKey(Topics.RUNS, run, 1).getFirst();
        RunStarted started = (RunStarted) startedEvent.getPayload();
        assertThat(started.getPlanSteps()).containsExactly("reproduce", "fix");
        assertThat(started.getPlanRiskNotes()).containsExactly("touches the billing code");
        assertThat(started.getTags()).containsExactly("hotfix", "billing");
        // the Issue was never dispatched: the first run reported for it is its attempt 1, numbered by ingest
        assertThat(startedEvent.getAttempt()).isEqualTo(1);
        assertThat(RunEventMapping.meta(started.getMetaJson()))
                .isEqualTo(Map.of("ticket", "OPS-42", "review", Map.of("by", "ana", "round", 2), "attempt", 1));

        Http.Response artifact = http.post("/cwom/artifacts", """
                {"produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "report", "title": "R", "uri": "https://x/r", "tags": ["postmortem"],
                 "meta": {"audience": "ops"}}""".formatted(run, issue));
        assertThat(artifact.status()).as(artifact.toString()).isEqualTo(202);
        ArtifactCreated created = (ArtifactCreated) eventsWithKey(Topics.ARTIFACTS, run, 1).getFirst();
        assertThat(created.getArtifactId()).isEqualTo(artifact.json().get("id").asString());
        assertThat(created.getTags()).containsExactly("postmortem");
        // the Issue's repo, so that the sink can record the run from the artifact without reading ingest's tables
        assertThat(created.getRepoId()).isEqualTo(repo);
        assertThat(RunEventMapping.meta(created.getMetaJson())).isEqualTo(Map.of("audience", "ops"));

        String plain = Ids.newUlid();
        assertThat(http.post("/cwom/runs", """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running"}""".formatted(plain, issue, repo)).status()).isEqualTo(202);
        RunStarted bare = (RunStarted) ((RunEvent) eventsWithKey(Topics.RUNS, plain, 1).getFirst()).getPayload();
        assertThat(bare.getTags()).isEmpty();
        assertThat(bare.getPlanRiskNotes()).isEmpty();
        assertThat(RunEventMapping.meta(bare.getMetaJson())).as("no meta but the attempt ingest gave it")
                .isEqualTo(Map.of("attempt", 2));
        problem(http.post("/cwom/runs", """
                {"for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running", "meta": ["not", "an object"]}""".formatted(issue, repo)),
                400, "VALIDATION_FAILED");
    }

    @Test
    void aRunUpdateIsHeldToTheRunRulesTogetherWithTheStoredRunAndNothingIsPublishedForABadOne() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String run = insertRun(issue, repo, "running"); // started 10:00:00.000, in the stored telemetry

        assertThat(errorPaths(http.patch("/cwom/runs/" + run, "{\"status\": \"failed\"}")))
                .containsExactly("$.failure");
        assertThat(errorPaths(http.patch("/cwom/runs/" + run, """
                {"status": "done", "failure": {"category": "test", "message": "red"}}"""))).containsExactly("$.failure");
        assertThat(errorPaths(http.patch("/cwom/runs/" + run, """
                {"status": "running", "failure": {"category": "test", "message": "red"}}"""))).containsExactly("$.failure");
        assertThat(errorPaths(http.patch("/cwom/runs/" + run, """
                {"status": "done", "telemetry": {"ended_at": "2026-01-25T09:59:59.000Z"}}""")))
                .containsExactly("$.telemetry.ended_at");
        assertThat(errorPaths(http.patch("/cwom/runs/" + run, """
                {"status": "done", "telemetry": {"ended_at": "2026-01-25T10:00:20.000Z", "duration_s": 5}}""")))
                .containsExactly("$.telemetry.duration_s");

        Http.Response done = http.patch("/cwom/runs/" + run, """
                {"status": "done", "telemetry": {"ended_at": "2026-01-25T10:00:20.000Z"}}""");
        assertThat(done.status()).as(done.toString()).isEqualTo(202);
        List<Object> published = eventsWithKey(Topics.RUNS, run, 1);
        assertThat(published).as("only the valid update was published").hasSize(1);
        RunFinished finished = (RunFinished) ((RunEvent) published.getFirst()).getPayload();
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.done);
        assertThat(finished.getDurationS()).isEqualTo(20.0);
    }

    @Test
    void aRestReportedRunOrArtifactIsIdempotentByIdAndAnotherBodyUnderItsIdIsAConflict() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String run = Ids.newUlid();
        String body = """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running"}""".formatted(run, issue, repo);

        assertThat(http.post("/cwom/runs", body).status()).isEqualTo(202);
        Http.Response again = http.post("/cwom/runs", body.replace("\"mode\"", " \"mode\""));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(run);
        assertThat(again.headers().firstValue("Location")).hasValue("/cwom/runs/" + run);
        JsonNode conflict = problem(http.post("/cwom/runs", body.replace("\"running\"", "\"canceled\"")), 409,
                "ID_CONFLICT");
        assertThat(conflict.get("id").asString()).isEqualTo(run);
        assertThat(eventsWithKey(Topics.RUNS, run, 1)).as("the retry and the conflict published nothing").hasSize(1);

        insertRun(run, issue, repo, "done"); // the sink stored it and it finished meanwhile
        Http.Response stored = http.post("/cwom/runs", body);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        assertThat(stored.json().get("status").asString()).as("the Run as it is now").isEqualTo("done");

        String artifact = Ids.newUlid();
        String artifactBody = """
                {"id": "%s", "produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "report", "title": "R", "uri": "https://x/r"}""".formatted(artifact, run, issue);
        assertThat(http.post("/cwom/artifacts", artifactBody).status()).isEqualTo(202);
        Http.Response artifactAgain = http.post("/cwom/artifacts", artifactBody);
        assertThat(artifactAgain.status()).as(artifactAgain.toString()).isEqualTo(200);
        assertThat(artifactAgain.json().get("title").asString()).isEqualTo("R");
        problem(http.post("/cwom/artifacts", artifactBody.replace("\"R\"", "\"Other\"")), 409, "ID_CONFLICT");
        problem(http.post("/cwom/runs", artifactBody), 400, "VALIDATION_FAILED");
    }

    @Test
    void aRestReportCannotTakeOverARunOrArtifactThePipelineRecorded() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String workers = insertRun(issue, repo, "running");
        String seenByIngest = Ids.newUlid();
        jdbc.sql("INSERT INTO ingest_issue_runs (run_id, issue_id, state) VALUES (:run, :issue, 'running')")
                .param("run", seenByIngest).param("issue", issue).update();
        String body = """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "done"}""";

        problem(http.post("/cwom/runs", body.formatted(workers, issue, repo)), 409, "ID_CONFLICT");
        problem(http.post("/cwom/runs", body.formatted(seenByIngest, issue, repo)), 409, "ID_CONFLICT");
        String stored = insertArtifact(workers, issue, "log");
        problem(http.post("/cwom/artifacts", """
                {"id": "%s", "produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "log", "title": "Output", "uri": "https://blobs/x"}""".formatted(stored, workers, issue)),
                409, "ID_CONFLICT");
        assertThat(jdbc.sql("SELECT count(*) FROM ingest_rest_submissions WHERE id IN (:ids)")
                .param("ids", List.of(workers, seenByIngest, stored)).query(Long.class).single())
                .as("a refused report keeps nothing").isZero();
    }

    @Test
    void referencesThatDoNotFitTogetherAre422NamingTheReferenceAndWhy() {
        String repo = createRepo();
        String otherRepo = createRepo();
        String issue = createIssue(repo, "ready");
        String otherIssue = createIssue(otherRepo, "ready");

        String wrongRepo = Ids.newUlid();
        JsonNode repoMismatch = problem(http.post("/cwom/runs", """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running"}""".formatted(wrongRepo, issue, otherRepo)), 422,
                "REFERENCE_MISMATCH");
        assertThat(repoMismatch.get("mismatched").get(0).get("path").asString()).isEqualTo("$.repo");
        assertThat(repoMismatch.get("detail").asString()).contains(otherRepo, issue, repo);

        String run = insertRun(issue, repo, "done");
        JsonNode runMismatch = problem(http.post("/cwom/artifacts", """
                {"produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "report", "title": "R", "uri": "https://x/r"}""".formatted(run, otherIssue)), 422,
                "REFERENCE_MISMATCH");
        assertThat(runMismatch.get("mismatched").get(0).get("path").asString()).isEqualTo("$.produced_by");
        assertThat(runMismatch.get("detail").asString()).contains(run, issue, otherIssue);

        // a run reported over REST a moment ago is known before the sink or ingest's run events caught up
        String reported = Ids.newUlid();
        assertThat(http.post("/cwom/runs", """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running"}""".formatted(reported, otherIssue, otherRepo)).status())
                .isEqualTo(202);
        problem(http.post("/cwom/artifacts", """
                {"produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "report", "title": "R", "uri": "https://x/r"}""".formatted(reported, issue)), 422,
                "REFERENCE_MISMATCH");
        assertThat(jdbc.sql("SELECT count(*) FROM ingest_rest_submissions WHERE id = :id").param("id", wrongRepo)
                .query(Long.class).single()).as("nothing kept for a refused run").isZero();

        String ownPacket = createPacket(issue, "v1");
        String othersPacket = createPacket(otherIssue, "v1");
        String borrowed = Ids.newUlid();
        JsonNode packetMismatch = problem(http.post("/cwom/runs", """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running", "inputs": {"context_packets": [
                   {"kind": "ContextPacket", "id": "%s"}, {"kind": "ContextPacket", "id": "%s"}]}}"""
                .formatted(borrowed, issue, repo, ownPacket, othersPacket)), 422, "REFERENCE_MISMATCH");
        assertThat(packetMismatch.get("mismatched").get(0).get("path").asString())
                .isEqualTo("$.inputs.context_packets[1]");
        assertThat(packetMismatch.get("detail").asString()).contains(othersPacket, otherIssue, issue);
        assertThat(eventsWithKey(Topics.RUNS, borrowed, 0)).as("nothing published for it").isEmpty();
        assertThat(http.post("/cwom/runs", """
                {"for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running", "inputs": {"context_packets": [
                   {"kind": "ContextPacket", "id": "%s"}]}}""".formatted(issue, repo, ownPacket)).status())
                .as("its own Issue's context is pinned").isEqualTo(202);
    }

    @Test
    void aFinishedRunIsNotUpdatedAgainAndTheAnswerSaysHowItEnded() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String run = insertRun(issue, repo, "failed");

        JsonNode finished = problem(http.patch("/cwom/runs/" + run, "{\"status\": \"done\"}"), 409, "RUN_FINISHED");
        assertThat(finished.get("run_status").asString()).isEqualTo("failed");
        assertThat(finished.get("detail").asString()).contains(run, "failed");
        problem(http.patch("/cwom/runs/" + run, "{\"status\": \"running\"}"), 409, "RUN_FINISHED");
        assertThat(eventsWithKey(Topics.RUNS, run, 0)).as("nothing published for a finished run").isEmpty();

        String running = insertRun(issue, repo, "running");
        assertThat(http.patch("/cwom/runs/" + running, "{\"status\": \"running\"}").status())
                .as("a running run still takes heartbeats").isEqualTo(202);
    }

    @Test
    void aRunOnlyIngestKnowsIsSummarisedWithItsIssueAndCannotBeUpdatedYet() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String stored = insertRun(issue, repo, "failed");
        String seen = Ids.newUlid();
        jdbc.sql("INSERT INTO ingest_issue_runs (run_id, issue_id, state) VALUES (:run, :issue, 'running')")
                .param("run", seen).param("issue", issue).update();

        JsonNode detail = http.get("/cwom/issues/" + issue).json();
        assertThat(idsOf(detail.get("issue").get("runs"))).containsExactly(stored, seen);
        assertThat(idsOf(detail.get("runs"))).containsExactly(stored, seen);
        assertThat(detail.get("runs").get(1).get("status").asString()).isEqualTo("running");
        assertThat(detail.get("runs").get(0).get("mode").asString()).isEqualTo("agent");

        JsonNode notYet = problem(http.patch("/cwom/runs/" + seen, "{\"status\": \"done\"}"), 409, "NOT_STORED_YET");
        assertThat(notYet.get("detail").asString()).contains(seen);
    }

    private static List<String> errorPaths(Http.Response response) {
        return problem(response, 400, "VALIDATION_FAILED").get("errors").findValuesAsString("path");
    }

    @Test
    void waitAnswers201OnceTheSinkStoredTheRunAnd202WhenItDidNotInTime() throws Exception {
        String repo = createRepo();
        String issue = createIssue(repo);
        String body = """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running"}""";

        Http.Response notStored = http.post("/cwom/runs?wait=1", body.formatted(Ids.newUlid(), issue, repo));
        assertThat(notStored.status()).as(notStored.toString()).isEqualTo(202);

        String run = Ids.newUlid();
        CompletableFuture<Http.Response> waiting = CompletableFuture.supplyAsync(
                () -> http.post("/cwom/runs?wait=20", body.formatted(run, issue, repo)));
        // stands in for the sink: store the run once its RunStarted is on the topic, and say so on cwom_sink_stored
        eventsWithKey(Topics.RUNS, run, 1);
        insertRun(run, issue, repo, "running");
        long notified = System.nanoTime();
        jdbc.sql(dev.cwom.ingest.SinkDatabase.NOTIFY_RUN).param("id", run).query(Object.class).list();
        Http.Response stored = waiting.get(30, TimeUnit.SECONDS);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        // woken by the notice, not by the end of its 20 s wait
        assertThat(Duration.ofNanos(System.nanoTime() - notified)).isLessThan(Duration.ofSeconds(5));
        assertThat(stored.headers().firstValue("Location")).hasValue("/cwom/runs/" + run);
    }

    private static List<Object> eventsWithKey(String topic, String key, int count) {
        try (KafkaTopicReader reader = new KafkaTopicReader(topic)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> reader.withKey(key).size() >= count);
            return reader.withKey(key).stream().map(r -> r.value()).toList();
        }
    }

    private String insertRun(String issue, String repo, String status) {
        return insertRun(Ids.newUlid(), issue, repo, status);
    }

    private String insertRun(String id, String issue, String repo, String status) {
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
