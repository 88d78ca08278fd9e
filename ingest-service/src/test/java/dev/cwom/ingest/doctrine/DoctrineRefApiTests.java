package dev.cwom.ingest.doctrine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DoctrineRefApiTests extends IngestApiTest {

    @Test
    void createsADoctrineRefWithDefaultsAndReadsIt() {
        String repo = createRepo();
        Http.Response response = http.post("/cwom/doctrine-refs", """
                {"namespace": "eng", "name": "tests-first-%s", "version": "2", "type": "principle",
                 "statement": "Write the test first", "applicability": {"repo_refs": [{"kind": "Repo", "id": "%s"}],
                 "issue_types": ["feature", "bug"]}}""".formatted(Ids.newUlid(), repo));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode doctrine = response.json();
        assertThat(doctrine.get("priority").asString()).isEqualTo("should");
        assertThat(http.get("/cwom/doctrine-refs/" + doctrine.get("id").asString()).json()).isEqualTo(doctrine);
    }

    @Test
    void namespaceNameAndVersionAreUnique() {
        String namespace = "uniq-" + Ids.newUlid();
        String first = createDoctrine(namespace);

        JsonNode body = problem(http.post("/cwom/doctrine-refs", """
                {"namespace": "%s", "name": "small-prs", "version": "1", "type": "pattern", "statement": "Other"}"""
                .formatted(namespace)), 409, "VERSION_EXISTS");

        assertThat(body.get("existing_id").asString()).isEqualTo(first);
    }

    @Test
    void listsByNamespace() {
        String namespace = "list-" + Ids.newUlid();
        String doctrine = createDoctrine(namespace);
        createDoctrine("other-" + Ids.newUlid());

        assertThat(idsOf(http.get("/cwom/doctrine-refs?namespace=" + namespace).json().get("items")))
                .containsExactly(doctrine);
    }

    @Test
    void refusesInvalidAndDanglingDoctrine() {
        JsonNode invalid = problem(http.post("/cwom/doctrine-refs", """
                {"namespace": "eng", "name": "x", "version": "1", "type": "rule", "statement": "s"}"""), 400,
                "VALIDATION_FAILED");
        assertThat(invalid.get("errors").get(0).get("path").asString()).isEqualTo("$.type");
        problem(http.post("/cwom/doctrine-refs", """
                {"namespace": "eng", "name": "x", "version": "1", "type": "policy", "statement": "s",
                 "applicability": {"repo_refs": [{"kind": "Repo", "id": "%s"}]}}""".formatted(Ids.newUlid())), 422,
                "UNKNOWN_REFERENCE");
        problem(http.get("/cwom/doctrine-refs/" + Ids.newUlid()), 404, "NOT_FOUND");
    }
}
