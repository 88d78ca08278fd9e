package dev.cwom.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.PinnedInput;
import dev.cwom.ingest.dispatch.DispatchedInputs;
import dev.cwom.json.Digests;
import dev.cwom.model.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Base of the replay and lineage tests: a Run as a worker would have run it, from a work order the real relay
 * published (so ingest recorded what it carried), stored in artifact-service's tables as the sink stores it.
 */
public abstract class ProvenanceApiTest extends IngestApiTest {

    @Autowired
    protected DispatchedInputs dispatched;

    /**
     * A run, its report artifact and its trace, of an Issue with one ContextPacket made ready once.
     *
     * @param inputs what the run's work order carried, in its order
     */
    protected record DispatchedRun(String repo, String issue, String packet, String eventId, String run,
            String report, String reportDigest, String trace, List<PinnedInput> inputs) {

        public PinnedInput input(String kind) {
            return inputs.stream().filter(i -> i.getKind().equals(kind)).findFirst().orElseThrow();
        }

        public String policyRefId() {
            return inputs.stream().filter(i -> i.getKind().equals("DoctrineRef") && i.getCanonicalJson()
                    .contains("\"cwom.operator\"")).findFirst().orElseThrow().getId();
        }
    }

    protected DispatchedRun dispatchedRun() {
        String repo = createRepo();
        String issue = createIssue(repo);
        String packet = createPacket(issue, "1");
        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}").status())
                .isEqualTo(200);
        String eventId = jdbc.sql("SELECT event_id FROM outbox WHERE aggregate_id = :id AND event_type = 'IssueReady'")
                .param("id", issue).query(String.class).single();
        await().atMost(Duration.ofSeconds(30)).until(() -> !dispatched.of(eventId).isEmpty());
        List<PinnedInput> inputs = dispatched.of(eventId);
        DispatchedRun partial = new DispatchedRun(repo, issue, packet, eventId, "", "", "", "", inputs);
        PinnedInput cp = partial.input("ContextPacket");
        String policy = partial.policyRefId();
        PinnedInput policyInput = inputs.stream().filter(i -> i.getId().equals(policy)).findFirst().orElseThrow();
        String run = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, inputs, meta, worker_id,
                            work_order_event_id, created_at, updated_at)
                        VALUES (:id, :issue, :repo, 'done', 'system', CAST(:inputs AS jsonb), CAST(:meta AS jsonb),
                            'worker-7', :event, now(), now())""")
                .param("id", run).param("issue", issue).param("repo", repo)
                .param("inputs", """
                        {"context_packets": [{"kind": "ContextPacket", "id": "%s", "version": "1", "digest": "%s"}],
                         "doctrine_refs": [{"kind": "DoctrineRef", "id": "%s", "version": "%s", "digest": "%s"}]}"""
                        .formatted(packet, cp.getDigest(), policy, policyInput.getVersion(), policyInput.getDigest()))
                .param("meta", "{\"requested_by\": \"test-all\", \"attempt\": 1}").param("event", eventId).update();
        jdbc.sql("INSERT INTO cwom_run_context_packets (run_id, context_packet_id, version, digest) "
                        + "VALUES (:run, :id, '1', :digest)")
                .param("run", run).param("id", packet).param("digest", cp.getDigest()).update();
        jdbc.sql("INSERT INTO cwom_run_doctrine_refs (run_id, doctrine_ref_id, version, digest) "
                        + "VALUES (:run, :id, :version, :digest)")
                .param("run", run).param("id", policy).param("version", policyInput.getVersion())
                .param("digest", policyInput.getDigest()).update();
        String reportDigest = Digests.sha256(("report of " + run).getBytes(StandardCharsets.UTF_8));
        String report = artifact(run, issue, "report", reportDigest);
        String trace = artifact(run, issue, "trace",
                Digests.sha256(("trace of " + run).getBytes(StandardCharsets.UTF_8)));
        return new DispatchedRun(repo, issue, packet, eventId, run, report, reportDigest, trace, inputs);
    }

    /** An artifact of the run with this content digest, verified as artifact-service would record it. */
    protected String artifact(String run, String issue, String type, String digest) {
        String id = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, digest, media_type,
                            verification, created_at, updated_at)
                        VALUES (:id, :run, :issue, :type, :title, :uri, :digest, 'application/json',
                            CAST('{"status": "passed", "checks": []}' AS jsonb), now(), now())""")
                .param("id", id).param("run", run).param("issue", issue).param("type", type)
                .param("title", type + " of " + run).param("uri", "http://blobs.test/blobs/" + digest)
                .param("digest", digest).update();
        return id;
    }
}
