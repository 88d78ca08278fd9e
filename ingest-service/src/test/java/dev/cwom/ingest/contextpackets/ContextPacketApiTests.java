package dev.cwom.ingest.contextpackets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ContextPacketApiTests extends IngestApiTest {

    @Test
    void createsAPacketThatLinksItsIssueDoctrineAndSnapshot() {
        String issue = createIssue(createRepo());
        String doctrine = createDoctrine("cp-" + Ids.newUlid());
        String snapshot = createSnapshot();

        Http.Response response = http.post("/cwom/context-packets", """
                {"for_issue": {"kind": "Issue", "id": "%s"}, "version": "1.0", "summary": "S",
                 "inputs": {"documents": [{"title": "Spec", "uri": "https://x/spec"}], "links": ["https://x"]},
                 "assumptions": ["a"], "open_questions": ["q"], "instructions": "Do it",
                 "doctrine_refs": [{"kind": "DoctrineRef", "id": "%s"}],
                 "constraint_snapshot": {"kind": "ConstraintSnapshot", "id": "%s"}}"""
                .formatted(issue, doctrine, snapshot));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode packet = response.json();
        assertThat(http.get("/cwom/context-packets/" + packet.get("id").asString()).json()).isEqualTo(packet);
        assertThat(packet.get("doctrine_refs").get(0).get("id").asString()).isEqualTo(doctrine);
        JsonNode linked = http.get("/cwom/issues/" + issue).json().get("issue");
        assertThat(idsOf(linked.get("context_packets"))).containsExactly(packet.get("id").asString());
        assertThat(linked.get("constraints").get("id").asString()).isEqualTo(snapshot);
    }

    @Test
    void aVersionExistsOncePerIssue() {
        String issue = createIssue(createRepo());
        String first = createPacket(issue, "1.0");

        JsonNode body = problem(http.post("/cwom/context-packets", """
                {"for_issue": {"kind": "Issue", "id": "%s"}, "version": "1.0"}""".formatted(issue)), 409,
                "VERSION_EXISTS");

        assertThat(body.get("existing_id").asString()).isEqualTo(first);
        createPacket(issue, "1.1");
    }

    @Test
    void listsThePacketsOfAnIssueByVersion() {
        String issue = createIssue(createRepo());
        String v1 = createPacket(issue, "1");
        String v2 = createPacket(issue, "2");

        assertThat(idsOf(http.get("/cwom/issues/" + issue + "/context-packets").json().get("items")))
                .containsExactly(v1, v2);
        assertThat(idsOf(http.get("/cwom/issues/" + issue + "/context-packets?version=2").json().get("items")))
                .containsExactly(v2);
    }

    @Test
    void aPacketForAMissingIssueIs422AndAnInvalidOneIs400() {
        problem(http.post("/cwom/context-packets", """
                {"for_issue": {"kind": "Issue", "id": "%s"}, "version": "1"}""".formatted(Ids.newUlid())), 422,
                "UNKNOWN_REFERENCE");
        JsonNode invalid = problem(http.post("/cwom/context-packets", """
                {"for_issue": {"kind": "Issue", "id": "not-a-ulid"}, "version": "",
                 "inputs": {"documents": [{"title": "d", "digest": "md5:1"}]}}"""), 400, "VALIDATION_FAILED");
        assertThat(invalid.get("errors").findValuesAsString("path")).contains("$.for_issue.id", "$.version",
                "$.inputs.documents[0].digest");
    }

    @Test
    void packetsAreImmutable() {
        String packet = createPacket(createIssue(createRepo()), "1");

        for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
            Http.Response response = http.send(method, "/cwom/context-packets/" + packet, "application/json", "{}");
            JsonNode body = problem(response, 405, "IMMUTABLE");
            assertThat(body.get("detail").asString()).contains("new version");
            assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        }
        assertThat(http.get("/cwom/context-packets/" + packet).status()).isEqualTo(200);
    }

    @Test
    void anUnknownPacketIsNotFound() {
        problem(http.get("/cwom/context-packets/" + Ids.newUlid()), 404, "NOT_FOUND");
    }
}
