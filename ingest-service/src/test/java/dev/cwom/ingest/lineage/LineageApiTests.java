package dev.cwom.ingest.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.auth.Scopes;
import dev.cwom.ingest.Http;
import dev.cwom.ingest.ProvenanceApiTest;
import dev.cwom.json.Digests;
import dev.cwom.model.Ids;
import dev.cwom.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /cwom/artifacts/{id}/lineage} and {@code GET /cwom/lineage?digest=}. */
class LineageApiTests extends ProvenanceApiTest {

    @Test
    void anArtifactsLineageNamesItsRunInputsPolicyIssueRepoAskerWorkerVerificationAndTrace() {
        DispatchedRun run = dispatchedRun();
        // the Issue moves on; the lineage still names the version the run saw
        assertThat(http.patch("/cwom/issues/" + run.issue() + "/status", "{\"status\": \"planned\"}").status())
                .isEqualTo(200);

        Http.Response response = http.get("/cwom/artifacts/" + run.report() + "/lineage");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode lineage = response.json();
        assertThat(lineage.get("artifact").get("id").asString()).isEqualTo(run.report());
        assertThat(lineage.get("artifact").get("digest").asString()).isEqualTo(run.reportDigest());
        assertThat(lineage.get("verification").get("status").asString()).isEqualTo("passed");
        assertThat(lineage.get("run").get("id").asString()).isEqualTo(run.run());
        assertThat(lineage.get("inputs_from").asString()).isEqualTo("work_order");
        List<String> inputs = new ArrayList<>();
        lineage.get("inputs").forEach(i -> inputs.add(i.get("kind").asString() + " " + i.get("id").asString() + " "
                + i.get("digest").asString()));
        assertThat(inputs).containsExactlyElementsOf(run.inputs().stream()
                .map(i -> i.getKind() + " " + i.getId() + " " + i.getDigest()).toList());
        assertThat(lineage.get("policy").get("id").asString()).isEqualTo(run.policyRefId());
        assertThat(lineage.get("policy").get("namespace").asString()).isEqualTo("cwom.operator");
        assertThat(lineage.get("issue").get("id").asString()).isEqualTo(run.issue());
        assertThat(lineage.get("issue").get("status").asString()).as("the Issue as it is now").isEqualTo("planned");
        assertThat(lineage.get("repo").get("id").asString()).isEqualTo(run.repo());
        assertThat(lineage.get("requested_by").asString()).isEqualTo("test-all");
        assertThat(lineage.get("worker").asString()).isEqualTo("worker-7");
        assertThat(lineage.get("trace").get("artifact_id").asString()).isEqualTo(run.trace());
        assertThat(lineage.has("replay_of")).isFalse();
    }

    @Test
    void aRunReportedOverRestHasTheLineageOfItsOwnPinnedInputs() {
        DispatchedRun run = dispatchedRun();
        String reported = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, inputs, created_at, updated_at)
                        SELECT :id, issue_id, repo_id, status, 'human', inputs, now(), now() FROM cwom_runs
                        WHERE id = :run""")
                .param("id", reported).param("run", run.run()).update();
        String artifact = artifact(reported, run.issue(), "doc", Digests.sha256("doc".getBytes(StandardCharsets.UTF_8)));

        JsonNode lineage = http.get("/cwom/artifacts/" + artifact + "/lineage").json();

        assertThat(lineage.get("inputs_from").asString()).isEqualTo("run");
        assertThat(lineage.get("inputs")).extracting(i -> i.get("kind").asString())
                .containsExactly("ContextPacket", "DoctrineRef");
        assertThat(lineage.get("policy").get("id").asString()).isEqualTo(run.policyRefId());
        assertThat(lineage.has("worker")).isFalse();
        assertThat(lineage.has("trace")).isFalse();
    }

    @Test
    void aDigestFindsTheRunsThatPinnedItAndTheArtifactsThatHoldItPageByPage() {
        DispatchedRun first = dispatchedRun();
        String packetDigest = first.input("ContextPacket").getDigest();
        // a second run pinned the same packet; an artifact's body happens to be that very JSON
        String second = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, created_at, updated_at)
                        VALUES (:id, :issue, :repo, 'done', 'system', now(), now())""")
                .param("id", second).param("issue", first.issue()).param("repo", first.repo()).update();
        jdbc.sql("INSERT INTO cwom_run_context_packets (run_id, context_packet_id, version, digest) "
                        + "VALUES (:run, :id, '1', :digest)")
                .param("run", second).param("id", first.packet()).param("digest", packetDigest).update();
        String copy = artifact(second, first.issue(), "dataset", packetDigest);

        JsonNode all = http.get("/cwom/lineage?digest=" + packetDigest).json();
        assertThat(all.get("items")).extracting(i -> i.get("kind").asString() + " " + i.get("id").asString())
                .containsExactly("Run " + first.run(), "Run " + second, "Artifact " + copy);
        assertThat(all.get("items").get(0).get("run").get("inputs").get("context_packets").get(0).get("digest")
                .asString()).isEqualTo(packetDigest);
        assertThat(all.has("next")).isFalse();

        JsonNode page = http.get("/cwom/lineage?digest=" + packetDigest + "&limit=2").json();
        assertThat(page.get("items")).hasSize(2);
        JsonNode rest = http.get(page.get("next").asString()).json();
        assertThat(rest.get("items")).extracting(i -> i.get("id").asString()).containsExactly(copy);

        JsonNode byArtifact = http.get("/cwom/lineage?digest=" + first.reportDigest()).json();
        assertThat(byArtifact.get("items")).extracting(i -> i.get("kind").asString() + " " + i.get("id").asString())
                .containsExactly("Artifact " + first.report());
        assertThat(byArtifact.get("items").get(0).get("artifact").get("produced_by").get("id").asString())
                .isEqualTo(first.run());
        String nobody = Digests.sha256(Ids.newUlid().getBytes(StandardCharsets.UTF_8));
        assertThat(http.get("/cwom/lineage?digest=" + nobody).json().get("items")).isEmpty();
    }

    @Test
    void refusals() {
        DispatchedRun run = dispatchedRun();

        problem(http.get("/cwom/lineage?digest=sha256:abc"), 400, "INVALID_DIGEST");
        problem(http.get("/cwom/lineage?digest=" + run.reportDigest().toUpperCase()), 400, "INVALID_DIGEST");
        problem(http.get("/cwom/lineage?digest=md5:" + "0".repeat(32)), 400, "INVALID_DIGEST");
        problem(http.get("/cwom/lineage"), 400, "INVALID_DIGEST");
        problem(http.get("/cwom/lineage?digest=" + run.reportDigest() + "&limit=0"), 400, "VALIDATION_FAILED");
        problem(http.get("/cwom/artifacts/" + Ids.newUlid() + "/lineage"), 404, "NOT_FOUND");
        problem(new Http(port, null).get("/cwom/artifacts/" + run.report() + "/lineage"), 401, "UNAUTHENTICATED");
        problem(new Http(port, null).get("/cwom/lineage?digest=" + run.reportDigest()), 401, "UNAUTHENTICATED");
        problem(new Http(port, TestTokens.withScope(Scopes.REPORT)).get("/cwom/lineage?digest=" + run.reportDigest()),
                403, "INSUFFICIENT_SCOPE");
        problem(new Http(port, TestTokens.withScope(Scopes.REPORT)).get("/cwom/artifacts/" + run.report()
                + "/lineage"), 403, "INSUFFICIENT_SCOPE");
    }
}
