package dev.cwom.ingest.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.auth.Scopes;
import dev.cwom.events.PinnedInput;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.dispatch.WorkOrders;
import dev.cwom.model.DoctrineRef;
import dev.cwom.testing.TestTokens;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The admin endpoint's immutable versions, and the version in force pinned into work orders with its principal. */
class OperatorPolicyApiTests extends IngestApiTest {

    private static final String NOOP_ONLY = """
            {"executors": ["noop"], "max_time_budget_seconds": 600}""";

    @Autowired
    WorkOrders workOrders;

    @Autowired
    TransactionTemplate transactions;

    @AfterEach
    void restore() {
        restorePermissivePolicy();
    }

    @Test
    void theSameDocumentTwiceIsOneVersionAndAnotherIsTheNext() {
        Http.Response first = http.put("/cwom/admin/policy", NOOP_ONLY);
        Http.Response again = http.put("/cwom/admin/policy", NOOP_ONLY.replace("600", "600 "));
        Http.Response next = http.put("/cwom/admin/policy", NOOP_ONLY.replace("600", "601"));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("version").asString()).isEqualTo(first.json().get("version").asString());
        assertThat(next.status()).isEqualTo(201);
        assertThat(Integer.parseInt(next.json().get("version").asString()))
                .isEqualTo(Integer.parseInt(first.json().get("version").asString()) + 1);
        JsonNode inForce = http.get("/cwom/admin/policy").json();
        assertThat(inForce.get("version").asString()).isEqualTo(next.json().get("version").asString());
        assertThat(inForce.get("digest").asString()).startsWith("sha256:");
        assertThat(inForce.get("policy").get("max_time_budget_seconds").asInt()).isEqualTo(601);
        JsonNode older = http.get("/cwom/doctrine-refs/" + first.json().get("doctrine_ref_id").asString()).json();
        assertThat(older.get("namespace").asString()).isEqualTo("cwom.operator");
        assertThat(older.get("type").asString()).isEqualTo("policy");
        assertThat(older.get("priority").asString()).isEqualTo("must");
        assertThat(older.get("meta").get("policy").get("max_time_budget_seconds").asInt())
                .as("an older version is kept as it was").isEqualTo(600);
    }

    @Test
    void anInvalidDocumentIs400AndChangesNothing() {
        String before = http.get("/cwom/admin/policy").json().get("version").asString();

        problem(http.put("/cwom/admin/policy", "{\"executors\": [\"docker\"]}"), 400, "INVALID_POLICY");
        problem(http.put("/cwom/admin/policy", "{\"executor\": [\"noop\"]}"), 400, "INVALID_POLICY");

        assertThat(http.get("/cwom/admin/policy").json().get("version").asString()).isEqualTo(before);
    }

    @Test
    void clientsCannotPublishInTheOperatorsNamespace() {
        problem(http.post("/cwom/doctrine-refs", """
                {"namespace": "cwom.operator", "name": "policy", "version": "999", "type": "policy",
                 "priority": "must", "statement": "anything goes"}"""), 403, "RESERVED_NAMESPACE");
    }

    @Test
    void theWorkOrderPinsThePolicyInForceWithItsDigestAndWhoAsked() {
        String issue = createIssue(createRepo());
        // Who asked is who made it ready, not who created it.
        Http submitter = new Http(port, TestTokens.withScope(Scopes.SUBMIT));
        assertThat(submitter.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}").status())
                .isEqualTo(200);
        JsonNode inForce = http.get("/cwom/admin/policy").json();
        String policyRef = inForce.get("doctrine_ref_id").asString();

        JsonNode payload = tools.jackson.databind.json.JsonMapper.shared().readTree(jdbc.sql(
                "SELECT payload::text FROM outbox WHERE aggregate_id = :id AND event_type = 'IssueReady'")
                .param("id", issue).query(String.class).single());
        assertThat(payload.get("requested_by").asString()).isEqualTo("test-cwom.submit");
        assertThat(payload.get("policy_ref_id").asString()).isEqualTo(policyRef);
        WorkOrder order = transactions.execute(status -> workOrders.build("01J0000000000000000000000A", issue, null,
                Instant.now(), payload.get("requested_by").asString(), payload.get("policy_ref_id").asString(), 1, null));
        List<PinnedInput> doctrine = order.getInputs().stream().filter(i -> i.getKind().equals(DoctrineRef.KIND))
                .toList();
        assertThat(order.getRequestedBy()).isEqualTo("test-cwom.submit");
        assertThat(doctrine).singleElement().satisfies(pinned -> {
            assertThat(pinned.getId()).isEqualTo(policyRef);
            assertThat(pinned.getDigest()).isEqualTo(inForce.get("digest").asString());
            assertThat(pinned.getVersion()).isEqualTo(inForce.get("version").asString());
        });
    }

    @Test
    void whatIsCreatedRecordsWhoCreatedItOverWhatTheClientClaims() {
        String repo = createRepo();
        Http submitter = new Http(port, TestTokens.withScope(Scopes.SUBMIT));
        String id = created(submitter.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Claimed", "type": "chore",
                 "meta": {"submitted_by": "someone-else"}}""".formatted(repo)));

        JsonNode issue = http.get("/cwom/issues/" + id).json().get("issue");
        assertThat(issue.get("meta").get("submitted_by").asString()).isEqualTo("test-cwom.submit");
        assertThat(http.get("/cwom/repos/" + repo).json().get("meta").get("submitted_by").asString())
                .isEqualTo("test-all");
    }
}
