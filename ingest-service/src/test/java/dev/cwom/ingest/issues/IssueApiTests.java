package dev.cwom.ingest.issues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class IssueApiTests extends IngestApiTest {

    @Test
    void createsAnIssueLinkedToItsObjectsAndReadsItWithThem() {
        String repo = createRepo();
        String snapshot = createSnapshot();
        String doctrine = createDoctrine("eng-" + Ids.newUlid());
        String other = createIssue(repo);
        String packet = createPacket(other, "1.0");

        Http.Response response = http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Add login", "type": "feature", "priority": "P1",
                 "doctrine_refs": [{"kind": "DoctrineRef", "id": "%s", "role": "governs"}],
                 "constraints": {"kind": "ConstraintSnapshot", "id": "%s"},
                 "context_packets": [{"kind": "ContextPacket", "id": "%s"}],
                 "acceptance": {"criteria": ["users can log in"]}, "meta": {"team": "web"}}"""
                .formatted(repo, doctrine, snapshot, packet));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode issue = response.json();
        String id = issue.get("id").asString();
        assertThat(issue.get("status").asString()).isEqualTo("planned");
        assertThat(issue.get("doctrine_refs").get(0).get("role").asString()).isEqualTo("governs");
        assertThat(issue.get("constraints").get("id").asString()).isEqualTo(snapshot);

        JsonNode detail = http.get("/cwom/issues/" + id).json();
        assertThat(detail.get("issue")).isEqualTo(issue);
        assertThat(idsOf(detail.get("context_packets"))).containsExactly(packet);
        assertThat(detail.get("constraint_snapshot").get("id").asString()).isEqualTo(snapshot);
        assertThat(idsOf(detail.get("doctrine_refs"))).containsExactly(doctrine);
        assertThat(detail.get("runs").isEmpty()).isTrue();
    }

    @Test
    void anIssueCreatedReadyWritesOneOutboxRowWithTheCallersTraceContext() {
        String issue = createIssueWithHeaders(createRepo(), "ready",
                "traceparent", "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate", "cwom=t1");

        Map<String, Object> row = jdbc.sql("SELECT trace_id, trace_context ->> 'traceparent' AS traceparent, "
                + "trace_context ->> 'tracestate' AS tracestate FROM outbox WHERE aggregate_id = :id")
                .param("id", issue).query().singleRow();
        assertThat(row.get("trace_id")).isEqualTo("5bf92f3577b34da6a3ce929d0e0e4736");
        // the server's own span in the caller's trace: same trace id, another span id
        assertThat((String) row.get("traceparent")).startsWith("00-5bf92f3577b34da6a3ce929d0e0e4736-")
                .doesNotContain("00f067aa0ba902b7");
        assertThat(row.get("tracestate")).isEqualTo("cwom=t1");
    }

    @Test
    void aMalformedTraceparentStartsANewTraceInsteadOfA400() {
        String issue = createIssueWithHeaders(createRepo(), "ready", "traceparent", "garbage");

        String traceId = jdbc.sql("SELECT trace_id FROM outbox WHERE aggregate_id = :id").param("id", issue)
                .query(String.class).single();
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    }

    @Test
    void aPlannedIssueWritesNoOutboxRow() {
        String issue = createIssue(createRepo());

        assertThat(outboxRows(issue)).isZero();
    }

    @Test
    void idempotentCreateAnswersTheStoredIssueEvenAfterItsStatusChanged() {
        String repo = createRepo();
        String id = Ids.newUlid();
        String body = """
                {"id": "%s", "repo": {"kind": "Repo", "id": "%s"}, "title": "T", "type": "bug", "status": "ready"}"""
                .formatted(id, repo);
        created(http.post("/cwom/issues", body));
        http.patch("/cwom/issues/" + id + "/status", "{\"status\": \"running\"}");

        Http.Response again = http.post("/cwom/issues", body);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asString()).isEqualTo("running");
        assertThat(outboxRows(id)).as("one dispatch, and its withdrawal when the Issue left ready").isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = :id AND event_type = 'IssueReady'")
                .param("id", id).query(Long.class).single()).isEqualTo(1);
        problem(http.post("/cwom/issues", body.replace("\"T\"", "\"Other\"")), 409, "ID_CONFLICT");
    }

    @Test
    void refersToMissingObjectsWith422NamingEachPath() {
        String missingRepo = Ids.newUlid();
        String missingPacket = Ids.newUlid();

        JsonNode body = problem(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "T", "type": "bug",
                 "context_packets": [{"kind": "ContextPacket", "id": "%s"}]}""".formatted(missingRepo, missingPacket)),
                422, "UNKNOWN_REFERENCE");

        assertThat(body.get("missing").findValuesAsString("path")).containsExactly("$.repo", "$.context_packets[0]");
        assertThat(body.get("detail").asString()).contains(missingRepo, missingPacket);
    }

    @Test
    void aReferenceOfTheWrongKindIsAFieldError() {
        JsonNode body = problem(http.post("/cwom/issues", """
                {"repo": {"kind": "Issue", "id": "%s"}, "title": "T", "type": "bug"}""".formatted(createRepo())),
                400, "VALIDATION_FAILED");

        assertThat(body.get("errors").findValuesAsString("path")).contains("$.repo.kind");
    }

    @Test
    void refusesInvalidFieldsAndAStartedStatus() {
        String repo = createRepo();
        JsonNode invalid = problem(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "", "assignees": [{"actor_kind": "agent"}]}"""
                .formatted(repo)), 400, "VALIDATION_FAILED");
        assertThat(invalid.get("errors").findValuesAsString("path")).contains("$.title", "$.type",
                "$.assignees[0].actor_id");

        JsonNode started = problem(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "T", "type": "bug", "status": "done"}"""
                .formatted(repo)), 400, "VALIDATION_FAILED");
        assertThat(started.get("errors").findValuesAsString("path")).containsExactly("$.status");
    }

    @Test
    void anUnknownStatusValueIsA400ListingTheAcceptedOnes() {
        JsonNode body = problem(http.patch("/cwom/issues/" + createIssue(createRepo()) + "/status",
                "{\"status\": \"finished\"}"), 400, "VALIDATION_FAILED");

        assertThat(body.get("errors").get(0).get("path").asString()).isEqualTo("$.status");
        assertThat(body.get("errors").get(0).get("message").asString()).contains("planned, ready, running");
    }

    @Test
    void statusMovesAlongTheRulesAndReadyWritesTheOutbox() {
        String issue = createIssue(createRepo());

        Http.Response ready = http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asString()).isEqualTo("ready");
        assertThat(jdbc.sql("SELECT trace_id FROM outbox WHERE aggregate_id = :id").param("id", issue)
                .query(String.class).single()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}").status()).isEqualTo(200);
        assertThat(outboxRows(issue)).as("setting the same status again is a no-op").isEqualTo(1);

        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"running\"}").status()).isEqualTo(200);
        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"done\"}").status()).isEqualTo(200);
    }

    @Test
    void leavingAFinalStatusIsAConflictListingWhatIsAllowed() {
        String issue = createIssue(createRepo());
        http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"canceled\"}");

        JsonNode fromCanceled = problem(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}"),
                409, "ILLEGAL_TRANSITION");
        assertThat(fromCanceled.get("allowed").isEmpty()).isTrue();

        JsonNode fromPlanned = problem(http.patch("/cwom/issues/" + createIssue(createRepo()) + "/status",
                "{\"status\": \"done\"}"), 409, "ILLEGAL_TRANSITION");
        assertThat(fromPlanned.get("allowed").findValuesAsString("allowed")).isEmpty();
        assertThat(fromPlanned.get("allowed").toString()).contains("ready", "blocked", "canceled");
    }

    @Test
    void statusOfAnUnknownIssueIsNotFoundAndAMissingStatusIsAFieldError() {
        problem(http.patch("/cwom/issues/" + Ids.newUlid() + "/status", "{\"status\": \"ready\"}"), 404, "NOT_FOUND");
        JsonNode body = problem(http.patch("/cwom/issues/" + createIssue(createRepo()) + "/status", "{}"), 400,
                "VALIDATION_FAILED");
        assertThat(body.get("errors").findValuesAsString("path")).containsExactly("$.status");
    }

    @Test
    void listsFilterByRepoStatusTypeAndPriority() {
        String repo = createRepo();
        String planned = createIssue(repo);
        String ready = createIssue(repo, "ready");
        createIssue(createRepo(), "ready");

        assertThat(ids("/cwom/issues?repo_id=" + repo)).containsExactly(planned, ready);
        assertThat(ids("/cwom/issues?repo_id=" + repo + "&status=ready")).containsExactly(ready);
        assertThat(ids("/cwom/issues?repo_id=" + repo + "&type=feature&priority=P2")).containsExactly(planned, ready);
        assertThat(ids("/cwom/issues?repo_id=" + repo + "&type=bug")).isEmpty();

        JsonNode page = http.get("/cwom/issues?repo_id=" + repo + "&limit=1").json();
        assertThat(idsOf(page.get("items"))).containsExactly(planned);
        assertThat(page.get("next").asString()).contains("cursor=" + planned, "repo_id=" + repo, "limit=1");
        assertThat(idsOf(http.get(page.get("next").asString()).json().get("items")))
                .containsExactly(ready);
    }

    @Test
    void listFiltersAreChecked() {
        assertThat(problem(http.get("/cwom/issues?status=finished"), 400, "VALIDATION_FAILED").toString())
                .contains("query.status", "planned, ready");
        problem(http.get("/cwom/issues?priority=urgent"), 400, "VALIDATION_FAILED");
        problem(http.get("/cwom/issues?type=epic"), 400, "VALIDATION_FAILED");
        problem(http.get("/cwom/issues?repo_id=x"), 400, "VALIDATION_FAILED");
    }

    @Test
    void anUnknownIssueIsNotFound() {
        problem(http.get("/cwom/issues/" + Ids.newUlid()), 404, "NOT_FOUND");
        problem(http.get("/cwom/issues/" + Ids.newUlid() + "/context-packets"), 404, "NOT_FOUND");
        problem(http.get("/cwom/issues/" + Ids.newUlid() + "/artifacts"), 404, "NOT_FOUND");
    }

    private String createIssueWithHeaders(String repo, String status, String... headers) {
        return created(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "T", "type": "ops", "status": "%s"}"""
                .formatted(repo, status), headers));
    }

    private long outboxRows(String issueId) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = :id").param("id", issueId)
                .query(Long.class).single();
    }

    private java.util.List<String> ids(String path) {
        Http.Response response = http.get(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return idsOf(response.json().get("items"));
    }
}
