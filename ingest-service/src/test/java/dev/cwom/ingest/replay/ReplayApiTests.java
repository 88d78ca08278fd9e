package dev.cwom.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.auth.Scopes;
import dev.cwom.events.PinnedInput;
import dev.cwom.events.Topics;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.Http;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.ingest.ProvenanceApiTest;
import dev.cwom.model.Ids;
import dev.cwom.testing.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /cwom/runs/{id}/replay}: exactly the original's inputs, or today's with what differs; every refusal. */
class ReplayApiTests extends ProvenanceApiTest {

    static KafkaTopicReader ready;

    @BeforeAll
    static void reader() {
        ready = new KafkaTopicReader(Topics.ISSUES_READY);
    }

    @AfterAll
    static void closeReader() {
        ready.close();
    }

    @Test
    void aReplayCarriesExactlyTheOriginalsInputsEvenAfterItsIssueMovedOn() {
        DispatchedRun original = dispatchedRun();
        // the Issue changes (status, a second packet): its current canonical JSON is no longer what the run saw
        assertThat(http.patch("/cwom/issues/" + original.issue() + "/status", "{\"status\": \"planned\"}").status())
                .isEqualTo(200);
        createPacket(original.issue(), "2");

        Http.Response response = http.post("/cwom/runs/" + original.run() + "/replay", "{}");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).contains("/cwom/issues/" + original.issue());
        JsonNode answer = response.json();
        assertThat(answer.get("replay_of").asString()).isEqualTo(original.run());
        assertThat(answer.get("inputs").asString()).isEqualTo("original");
        assertThat(answer.get("attempt").asInt()).as("the Issue's next attempt").isEqualTo(2);
        assertThat(answer.get("requested_by").asString()).isEqualTo("test-all");
        assertThat(answer.get("policy").get("id").asString()).isEqualTo(original.policyRefId());
        assertThat(answer.has("differs")).isFalse();
        assertThat(digests(answer.get("pinned")))
                .containsExactlyElementsOf(original.inputs().stream().map(PinnedInput::getDigest).toList());

        String eventId = answer.get("work_order_event_id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> replayed(original.issue(), original.run()) != null);
        WorkOrder order = replayed(original.issue(), original.run());
        assertThat(order.getEventId()).isEqualTo(eventId);
        assertThat(order.getAttempt()).isEqualTo(2);
        assertThat(order.getInputs()).as("same canonical JSON, same digests, same order")
                .containsExactlyElementsOf(original.inputs());
        assertThat(order.getInputs()).noneMatch(i -> i.getCanonicalJson().contains("\"version\":\"2\""));
    }

    @Test
    void aReplayOnTheCurrentInputsListsEveryDigestThatDiffers() {
        DispatchedRun original = dispatchedRun();
        assertThat(http.patch("/cwom/issues/" + original.issue() + "/status", "{\"status\": \"planned\"}").status())
                .isEqualTo(200);
        String second = createPacket(original.issue(), "2");

        Http.Response response = http.post("/cwom/runs/" + original.run() + "/replay?inputs=current", "{}");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        JsonNode answer = response.json();
        assertThat(answer.get("inputs").asString()).isEqualTo("current");
        List<String> differ = new ArrayList<>();
        answer.get("differs").forEach(d -> differ.add(d.get("kind").asString() + " " + d.get("id").asString()));
        assertThat(differ).containsExactlyInAnyOrder("Issue " + original.issue(), "ContextPacket " + second);
        JsonNode issue = answer.get("differs").get(0);
        assertThat(issue.get("original_digest").asString()).isEqualTo(original.input("Issue").getDigest());
        assertThat(issue.get("current_digest").asString()).isNotEqualTo(original.input("Issue").getDigest())
                .startsWith("sha256:");
        assertThat(answer.get("differs").get(1).has("original_digest")).as("new since the original").isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> replayed(original.issue(), original.run()) != null);
        assertThat(replayed(original.issue(), original.run()).getInputs()).extracting(PinnedInput::getId)
                .contains(second);
    }

    @Test
    void theSameIdempotencyKeyAnswersTheFirstReplayAndStartsNothingMore() {
        DispatchedRun original = dispatchedRun();
        String key = "{\"idempotency_key\": \"replay-" + original.run() + "\"}";

        Http.Response first = http.post("/cwom/runs/" + original.run() + "/replay", key);
        Http.Response again = http.post("/cwom/runs/" + original.run() + "/replay", key);
        Http.Response otherInputs = http.post("/cwom/runs/" + original.run() + "/replay?inputs=current", key);

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        problem(otherInputs, 409, "IDEMPOTENCY_KEY_REUSED");
        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = :id AND payload ->> 'replay_of' = :run")
                .param("id", original.issue()).param("run", original.run()).query(Integer.class).single())
                .isEqualTo(1);
        problem(http.post("/cwom/runs/" + original.run() + "/replay", "{\"idempotency_key\": \" \"}"), 400,
                "VALIDATION_FAILED");
    }

    @Test
    void whatThePolicyThenAllowedButTheCurrentOneForbidsIs422WithWhyAndStartsNothing() {
        DispatchedRun original = dispatchedRun();
        usePolicy("{\"executors\": [\"noop\"]}");
        try {
            JsonNode refused = problem(http.post("/cwom/runs/" + original.run() + "/replay", "{}"), 422,
                    "POLICY_EXECUTOR_FORBIDDEN");
            assertThat(refused.get("detail").asString()).contains("cannot be replayed").contains("shell");
            assertThat(refused.get("violations")).isNotEmpty();
            assertThat(refused.has("policy_version")).isTrue();
        } finally {
            restorePermissivePolicy();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = :id AND payload ->> 'replay_of' IS NOT NULL")
                .param("id", original.issue()).query(Integer.class).single()).isZero();
    }

    @Test
    void refusals() {
        DispatchedRun original = dispatchedRun();

        problem(http.post("/cwom/runs/" + Ids.newUlid() + "/replay", "{}"), 404, "NOT_FOUND");
        problem(http.post("/cwom/runs/" + original.run() + "/replay?inputs=yesterday", "{}"), 400,
                "VALIDATION_FAILED");
        problem(new Http(port, null).post("/cwom/runs/" + original.run() + "/replay", "{}"), 401,
                "UNAUTHENTICATED");
        problem(new Http(port, TestTokens.withScope(Scopes.READ)).post("/cwom/runs/" + original.run() + "/replay",
                "{}"), 403, "INSUFFICIENT_SCOPE");

        String seenOnly = Ids.newUlid();
        jdbc.sql("INSERT INTO ingest_issue_runs (run_id, issue_id, state) VALUES (:run, :issue, 'running')")
                .param("run", seenOnly).param("issue", original.issue()).update();
        problem(http.post("/cwom/runs/" + seenOnly + "/replay", "{}"), 409, "NOT_STORED_YET");

        String reported = Ids.newUlid();
        jdbc.sql("INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, created_at, updated_at) "
                        + "VALUES (:id, :issue, :repo, 'done', 'human', now(), now())")
                .param("id", reported).param("issue", original.issue()).param("repo", original.repo()).update();
        assertThat(problem(http.post("/cwom/runs/" + reported + "/replay", "{}"), 409, "NOT_REPLAYABLE")
                .get("detail").asString()).contains("reported over REST");

        assertThat(http.patch("/cwom/issues/" + original.issue() + "/status", "{\"status\": \"canceled\"}").status())
                .isEqualTo(200);
        problem(http.post("/cwom/runs/" + original.run() + "/replay", "{}"), 409, "ISSUE_CANCELED");
    }

    @Test
    void aRunReportedOverRestReplaysOnlyOnTheCurrentInputsComparedWithItsOwnPinnedOnes() {
        DispatchedRun original = dispatchedRun();
        String reported = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, inputs, created_at, updated_at)
                        SELECT :id, issue_id, repo_id, status, 'human', inputs, now(), now() FROM cwom_runs
                        WHERE id = :run""")
                .param("id", reported).param("run", original.run()).update();

        Http.Response response = http.post("/cwom/runs/" + reported + "/replay?inputs=current", "{}");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        List<String> differ = new ArrayList<>();
        response.json().get("differs").forEach(d -> differ.add(d.get("kind").asString()
                + (d.has("original_digest") ? " changed" : " new")));
        // the Run pinned the packet and the policy, which are unchanged; it never pinned its Issue and Repo
        assertThat(differ).containsExactlyInAnyOrder("Repo new", "Issue new");
    }

    @Test
    void aBodyIsOptional() {
        DispatchedRun original = dispatchedRun();

        Http.Response response = http.send("POST", "/cwom/runs/" + original.run() + "/replay", null, null);

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
    }

    private static List<String> digests(JsonNode refs) {
        List<String> digests = new ArrayList<>();
        refs.forEach(ref -> digests.add(ref.get("digest").asString()));
        return digests;
    }

    private static WorkOrder replayed(String issue, String run) {
        return ready.withKey(issue).stream().map(r -> (WorkOrder) r.value())
                .filter(o -> run.equals(o.getReplayOf())).findFirst().orElse(null);
    }
}
