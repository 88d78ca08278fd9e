package dev.cwom.ingest.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.IngestApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14's four steps under a policy that allows the shell but only {@code echo}: refused at submission with a
 * policy code, and nothing of the refused request stored.
 */
class PolicyRefusalTests extends IngestApiTest {

    @BeforeEach
    void echoOnly() {
        usePolicy("""
                {"executors": ["noop", "shell"], "tools": {"allowed": ["echo"]}, "max_time_budget_seconds": 600}""");
    }

    @AfterEach
    void restore() {
        restorePermissivePolicy();
    }

    @Test
    void aContextPacketRunningAToolBeyondThePolicyIsRefusedAndNotStored() {
        String snapshot = created(http.post("/cwom/constraint-snapshots", """
                {"scope": "run", "constraints": {"tools": {"allowed": ["sh"]}}}"""));
        String issue = created(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Who am I", "type": "ops", "status": "planned",
                 "constraints": {"kind": "ConstraintSnapshot", "id": "%s"}}""".formatted(createRepo(), snapshot)));

        JsonNode refused = problem(http.post("/cwom/context-packets", """
                {"for_issue": {"kind": "Issue", "id": "%s"}, "version": "1",
                 "meta": {"commands": [["sh", "-c", "id"]]}}""".formatted(issue)), 422, "POLICY_TOOL_FORBIDDEN");

        assertThat(refused.get("detail").asString()).contains("tool 'sh' is not allowed by the operator policy v");
        assertThat(refused.get("violations").get(0).get("code").asString()).isEqualTo("POLICY_TOOL_FORBIDDEN");
        assertThat(refused.get("policy_digest").asString()).startsWith("sha256:");
        assertThat(count("SELECT count(*) FROM cwom_context_packets WHERE issue_id = :id", issue)).isZero();
        assertThat(count("SELECT count(*) FROM cwom_issue_context_packets WHERE issue_id = :id", issue)).isZero();
    }

    @Test
    void aReadyIssueAskingBeyondThePolicyIsRefusedAndNotStored() {
        String repo = createRepo();

        JsonNode refused = problem(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Call out", "type": "research", "status": "ready",
                 "meta": {"executor": "http", "webhook_url": "http://evil.example/hook"}}""".formatted(repo)),
                422, "POLICY_EXECUTOR_FORBIDDEN");

        assertThat(refused.get("detail").asString()).contains("executor 'http' is not allowed");
        assertThat(count("SELECT count(*) FROM cwom_issues WHERE repo_id = :id", repo)).isZero();
    }

    @Test
    void aStatusChangeToReadyBeyondThePolicyIsRefusedAndTheIssueStaysAsItWas() {
        String snapshot = created(http.post("/cwom/constraint-snapshots", """
                {"scope": "run", "constraints": {"time": {"available_minutes": 60}}, "meta": {"allow_secrets": true}}"""));
        String issue = created(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Long", "type": "research", "status": "planned",
                 "constraints": {"kind": "ConstraintSnapshot", "id": "%s"}}""".formatted(createRepo(), snapshot)));

        JsonNode refused = problem(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}"), 422,
                "POLICY_SECRETS_FORBIDDEN");

        assertThat(refused.get("violations")).extracting(v -> v.get("code").asString())
                .containsExactly("POLICY_SECRETS_FORBIDDEN", "POLICY_TIME_BUDGET_EXCEEDED");
        assertThat(http.get("/cwom/issues/" + issue).json().get("issue").get("status").asString())
                .isEqualTo("planned");
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = :id", issue)).isZero();
    }

    @Test
    void theTaskBridgeIsBoundedByThePolicyToo() {
        JsonNode refused = problem(http.post("/tasks/enqueue", """
                {"objective": "Fix the login", "operation": "analysis", "target": {"repo": "acme/x"},
                 "constraints": {"time_budget_seconds": 900}, "requested_by": {"kind": "human", "id": "ana"},
                 "idempotency_key": "%s"}""".formatted(uniqueSlug("policy"))), 400, "TIME_BUDGET_TOO_HIGH");

        assertThat(refused.get("detail").asString()).contains("600 s that the operator policy v");
    }

    private long count(String sql, String id) {
        return jdbc.sql(sql).param("id", id).query(Long.class).single();
    }
}
