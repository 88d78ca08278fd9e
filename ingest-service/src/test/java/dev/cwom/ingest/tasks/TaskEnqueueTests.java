package dev.cwom.ingest.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class TaskEnqueueTests extends IngestApiTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"code_change, feature", "docs, doc", "analysis, research", "ops, ops"})
    void mapsTheOperationToTheIssueType(String operation, String issueType) {
        JsonNode task = enqueue(task(operation, "acme/map-" + Ids.newUlid().toLowerCase(), null));

        assertThat(task.get("operation").asString()).isEqualTo(operation);
        assertThat(issue(task).get("type").asString()).isEqualTo(issueType);
    }

    @Test
    void mapsObjectiveTargetConstraintsInputsAndRequesterToCwom() {
        String suffix = Ids.newUlid().toLowerCase();
        JsonNode task = enqueue("""
                {"objective": "Fix the flaky login test\\nIt fails one run in ten.", "operation": "code_change",
                 "target": {"repo": "  ACME/Widgets-%s.git ", "path": "src/login"},
                 "constraints": {"time_budget_seconds": 1800},
                 "inputs": {"ticket": "WID-7", "attempts": [1, 2]},
                 "requested_by": {"kind": "human", "id": "ana", "label": "Ana"}}""".formatted(suffix));

        JsonNode detail = http.get("/cwom/issues/" + task.get("cwom_issue_id").asString()).json();
        JsonNode issue = detail.get("issue");
        assertThat(issue.get("status").asString()).isEqualTo("ready");
        assertThat(issue.get("title").asString()).isEqualTo("Fix the flaky login test");
        assertThat(issue.get("description").asString()).isEqualTo("Fix the flaky login test\nIt fails one run in ten.");
        assertThat(issue.get("acceptance").get("criteria").get(0).asString()).startsWith("Fix the flaky login test");
        assertThat(issue.get("watchers").get(0).get("actor_id").asString()).isEqualTo("ana");
        assertThat(issue.get("meta").get("target_ref").asString()).isEqualTo("main");
        assertThat(issue.get("meta").get("target_path").asString()).isEqualTo("src/login");

        JsonNode repo = http.get("/cwom/repos/" + issue.get("repo").get("id").asString()).json();
        assertThat(repo.get("slug").asString()).isEqualTo("acme/widgets-" + suffix);

        JsonNode snapshot = detail.get("constraint_snapshot");
        assertThat(snapshot.get("scope").asString()).isEqualTo("run");
        assertThat(snapshot.get("constraints").get("time").get("available_minutes").asDouble()).isEqualTo(30.0);
        assertThat(snapshot.get("constraints").get("environment").get("connectivity").asString()).isEqualTo("offline");
        assertThat(snapshot.get("owner").get("display").asString()).isEqualTo("Ana");

        JsonNode packet = detail.get("context_packets").get(0);
        assertThat(packet.get("constraint_snapshot").get("id").asString()).isEqualTo(snapshot.get("id").asString());
        JsonNode blob = packet.get("inputs").get("data_blobs").get(0);
        assertThat(blob.get("name").asString()).isEqualTo("task.inputs");
        assertThat(blob.get("inline").asString()).isEqualTo("{\"attempts\":[1,2],\"ticket\":\"WID-7\"}");

        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = :id")
                .param("id", issue.get("id").asString()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void findsTheRepoBySlugInsteadOfCreatingItTwice() {
        String repo = "acme/shared-" + Ids.newUlid().toLowerCase();
        JsonNode first = enqueue(task("docs", repo, null));
        JsonNode second = enqueue(task("docs", repo.toUpperCase() + ".git", null));

        assertThat(issue(second).get("repo")).isEqualTo(issue(first).get("repo"));
        assertThat(second.get("target").get("repo").asString()).isEqualTo(repo);
    }

    @Test
    void theTaskViewRoundTripsTheRequestAndFollowsTheIssue() {
        String repo = "acme/round-" + Ids.newUlid().toLowerCase();
        JsonNode created = enqueue("""
                {"objective": "Write the onboarding guide", "operation": "docs",
                 "target": {"repo": "%s", "ref": "release/1.2", "path": "docs/"},
                 "constraints": {"time_budget_seconds": 600, "allow_network": false},
                 "inputs": {"audience": "new hires"}, "idempotency_key": "round-%s",
                 "requested_by": {"kind": "agent", "id": "planner"}}""".formatted(repo, Ids.newUlid()));

        JsonNode view = http.get("/tasks/" + created.get("id").asString()).json();
        assertThat(view).isEqualTo(created);
        assertThat(view.get("objective").asString()).isEqualTo("Write the onboarding guide");
        assertThat(view.get("operation").asString()).isEqualTo("docs");
        assertThat(view.get("target").toString()).isEqualTo(
                "{\"repo\":\"" + repo + "\",\"ref\":\"release/1.2\",\"path\":\"docs/\"}");
        assertThat(view.get("constraints").toString()).isEqualTo(
                "{\"time_budget_seconds\":600,\"allow_network\":false,\"allow_secrets\":false}");
        assertThat(view.get("inputs").get("audience").asString()).isEqualTo("new hires");
        assertThat(view.get("requested_by").toString()).isEqualTo("{\"kind\":\"agent\",\"id\":\"planner\"}");
        assertThat(view.get("status").asString()).isEqualTo("ready");
        assertThat(view.has("latest_run")).isFalse();

        String issueId = view.get("cwom_issue_id").asString();
        String repoId = issue(view).get("repo").get("id").asString();
        String run = Ids.newUlid();
        jdbc.sql("INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, created_at, updated_at) "
                + "VALUES (:id, :issue, :repo, 'running', 'agent', now(), now())")
                .param("id", run).param("issue", issueId).param("repo", repoId).update();
        String artifact = Ids.newUlid();
        jdbc.sql("INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, created_at, updated_at) "
                + "VALUES (:id, :run, :issue, 'doc', 'Guide', 'https://blobs/guide', now(), now())")
                .param("id", artifact).param("run", run).param("issue", issueId).update();
        http.patch("/cwom/issues/" + issueId + "/status", "{\"status\": \"running\"}");

        JsonNode later = http.get("/tasks/" + created.get("id").asString()).json();
        assertThat(later.get("status").asString()).isEqualTo("running");
        assertThat(later.get("latest_run").get("id").asString()).isEqualTo(run);
        assertThat(idsOf(later.get("artifacts"))).containsExactly(artifact);
    }

    @Test
    void aRunOnlyIngestKnowsSoFarIsSummarisedFromItsEventsNotA404() {
        JsonNode created = enqueue(task("ops", "acme/ingest-run-" + Ids.newUlid().toLowerCase(), null));
        String taskId = created.get("id").asString();
        String issueId = created.get("cwom_issue_id").asString();
        String run = Ids.newUlid();
        // what ingest records on RunStarted, before (or without) the sink storing the run in cwom_runs
        jdbc.sql("INSERT INTO ingest_issue_runs (run_id, issue_id, state) VALUES (:run, :issue, 'running')")
                .param("run", run).param("issue", issueId).update();

        Http.Response view = http.get("/tasks/" + taskId);
        assertThat(view.status()).as(view.toString()).isEqualTo(200);
        assertThat(view.json().get("latest_run").get("id").asString()).isEqualTo(run);
        assertThat(view.json().get("latest_run").get("status").asString()).isEqualTo("running");
        assertThat(view.json().get("latest_run").has("mode")).isFalse();
        assertThat(view.json().get("artifacts").isEmpty()).isTrue();
        Http.Response list = http.get("/tasks?limit=1000");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(idsOf(list.json().get("items"))).contains(taskId);

        String repoId = issue(created).get("repo").get("id").asString();
        jdbc.sql("INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, created_at, updated_at) "
                + "VALUES (:id, :issue, :repo, 'done', 'agent', now(), now())")
                .param("id", run).param("issue", issueId).param("repo", repoId).update();
        JsonNode stored = http.get("/tasks/" + taskId).json().get("latest_run");
        assertThat(stored.get("status").asString()).as("the sink's row wins once it exists").isEqualTo("done");
        assertThat(stored.get("mode").asString()).isEqualTo("agent");
    }

    @Test
    void theLatestRunIsTheLatestAttemptNotTheHighestRunId() {
        JsonNode created = enqueue(task("ops", "acme/attempts-" + Ids.newUlid().toLowerCase(), null));
        String issueId = created.get("cwom_issue_id").asString();
        String highestId = "7ZZZZZZZZZZZZZZZZZZZZZZZZY";
        String lowerId = Ids.newUlid();
        // as ingest's run status records them: a run reported with a high id as attempt 1, the worker's attempt 2
        jdbc.sql("INSERT INTO ingest_issue_runs (run_id, issue_id, state, attempt) "
                        + "VALUES (:high, :issue, 'failed', 1), (:low, :issue, 'running', 2)")
                .param("high", highestId).param("low", lowerId).param("issue", issueId).update();

        JsonNode latest = http.get("/tasks/" + created.get("id").asString()).json().get("latest_run");
        assertThat(latest.get("id").asString()).isEqualTo(lowerId);
        assertThat(latest.get("status").asString()).isEqualTo("running");
    }

    @Test
    void keepsTheCallersTraceIdOnTheTaskTheIssueAndTheOutbox() {
        Http.Response response = http.post("/tasks/enqueue", task("ops", "acme/trace-" + Ids.newUlid().toLowerCase(),
                null), "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode task = response.json();

        assertThat(task.get("trace_id").asString()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(issue(task).get("meta").get("trace_id").asString()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(jdbc.sql("SELECT trace_id FROM outbox WHERE aggregate_id = :id")
                .param("id", task.get("cwom_issue_id").asString()).query(String.class).single())
                .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void theSameKeyAndPayloadAnswersTheOriginalTask() {
        String body = task("analysis", "acme/idem-" + Ids.newUlid().toLowerCase(), "key-" + Ids.newUlid());
        Http.Response first = http.post("/tasks/enqueue", body);
        Http.Response again = http.post("/tasks/enqueue", body.replace("\"operation\"", " \"operation\""));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.json().get("cwom_issue_id")).isEqualTo(first.json().get("cwom_issue_id"));
    }

    @Test
    void theSameKeyWithAnotherPayloadIsAConflict() {
        String key = "key-" + Ids.newUlid();
        String repo = "acme/idem2-" + Ids.newUlid().toLowerCase();
        String original = enqueue(task("analysis", repo, key)).get("id").asString();

        JsonNode body = problem(http.post("/tasks/enqueue", task("ops", repo, key)), 409, "IDEMPOTENCY_KEY_REUSED");

        assertThat(body.get("existing_task_id").asString()).isEqualTo(original);
    }

    @Test
    void twoConcurrentRequestsWithTheSameKeyCreateOneTask() throws Exception {
        String key = "key-" + Ids.newUlid();
        String body = task("code_change", "acme/race-" + Ids.newUlid().toLowerCase(), key);
        CountDownLatch start = new CountDownLatch(1);
        Callable<Http.Response> send = () -> {
            start.await();
            return new Http(port).post("/tasks/enqueue", body);
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Http.Response> a = pool.submit(send);
            Future<Http.Response> b = pool.submit(send);
            start.countDown();
            List<Http.Response> responses = List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS));

            assertThat(responses).extracting(Http.Response::status).containsExactlyInAnyOrder(201, 200);
            assertThat(responses.get(0).json().get("id")).isEqualTo(responses.get(1).json().get("id"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM tasks WHERE idempotency_key = :k").param("k", key)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM cwom_issues WHERE meta->>'task_id' IN "
                        + "(SELECT id FROM tasks WHERE idempotency_key = :k)").param("k", key)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void listsTasksAndAnUnknownTaskIsNotFound() {
        String id = enqueue(task("ops", "acme/list-" + Ids.newUlid().toLowerCase(), null)).get("id").asString();

        JsonNode page = http.get("/tasks?limit=1000").json();
        assertThat(idsOf(page.get("items"))).contains(id).isSorted();
        problem(http.get("/tasks/" + Ids.newUlid()), 404, "NOT_FOUND");
    }

    private JsonNode enqueue(String body) {
        Http.Response response = http.post("/tasks/enqueue", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/tasks/" + response.json().get("id").asString());
        return response.json();
    }

    private JsonNode issue(JsonNode task) {
        return http.get("/cwom/issues/" + task.get("cwom_issue_id").asString()).json().get("issue");
    }

    static String task(String operation, String repo, String key) {
        return """
                {"objective": "Do the thing well", "operation": "%s", "target": {"repo": "%s"},
                 "requested_by": {"kind": "human", "id": "ana"}%s}"""
                .formatted(operation, repo, key == null ? "" : ", \"idempotency_key\": \"" + key + "\"");
    }
}
