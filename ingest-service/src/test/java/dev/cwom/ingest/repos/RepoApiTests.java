package dev.cwom.ingest.repos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RepoApiTests extends IngestApiTest {

    @Test
    void createsARepoWithDefaultsAndReadsItBack() {
        String slug = uniqueSlug("acme/web");
        Http.Response response = http.post("/cwom/repos", """
                {"name": "Web", "slug": "%s", "owners": [{"actor_kind": "human", "actor_id": "ana"}], "meta": {"a": 1}}"""
                .formatted(slug));

        assertThat(response.status()).isEqualTo(201);
        JsonNode repo = response.json();
        String id = repo.get("id").asString();
        assertThat(Ids.isUlid(id)).isTrue();
        assertThat(response.headers().firstValue("Location")).hasValue("/cwom/repos/" + id);
        assertThat(repo.get("kind").asString()).isEqualTo("Repo");
        assertThat(repo.get("default_branch").asString()).isEqualTo("main");
        assertThat(repo.get("visibility").asString()).isEqualTo("private");
        assertThat(repo.get("created_at").asString()).endsWith("Z");

        Http.Response read = http.get("/cwom/repos/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(repo);
    }

    @Test
    void createWithTheSameClientIdAndBodyAnswersTheStoredRepo() {
        String id = Ids.newUlid();
        String body = """
                {"id": "%s", "name": "Docs", "slug": "%s", "meta": {"n": 1.0}}""".formatted(id, uniqueSlug("acme/docs"));

        Http.Response first = http.post("/cwom/repos", body);
        Http.Response again = http.post("/cwom/repos", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
    }

    @Test
    void createWithTheSameClientIdAndAnotherBodyIsAConflict() {
        String id = Ids.newUlid();
        String slug = uniqueSlug("acme/ops");
        created(http.post("/cwom/repos", """
                {"id": "%s", "name": "Ops", "slug": "%s"}""".formatted(id, slug)));

        JsonNode body = problem(http.post("/cwom/repos", """
                {"id": "%s", "name": "Ops renamed", "slug": "%s"}""".formatted(id, slug)), 409, "ID_CONFLICT");

        assertThat(body.get("detail").asString()).contains(id);
    }

    @Test
    void aSlugIsUnique() {
        String slug = uniqueSlug("acme/api");
        String first = created(http.post("/cwom/repos", "{\"name\": \"A\", \"slug\": \"" + slug + "\"}"));

        JsonNode body = problem(http.post("/cwom/repos", "{\"name\": \"B\", \"slug\": \"" + slug + "\"}"), 409,
                "SLUG_TAKEN");

        assertThat(body.get("existing_id").asString()).isEqualTo(first);
    }

    @Test
    void refusesAnInvalidRepoWithThePathOfEachField() {
        JsonNode body = problem(http.post("/cwom/repos", """
                {"name": "", "slug": "Not A Slug", "owners": [{"actor_kind": "human"}]}"""), 400, "VALIDATION_FAILED");

        assertThat(body.get("errors").findValuesAsString("path"))
                .contains("$.name", "$.slug", "$.owners[0].actor_id");
    }

    @Test
    void refusesABodyOfAnotherKind() {
        JsonNode body = problem(http.post("/cwom/repos", """
                {"kind": "Issue", "name": "A", "slug": "%s"}""".formatted(uniqueSlug("acme/kind"))), 400,
                "VALIDATION_FAILED");

        assertThat(body.get("errors").get(0).get("path").asString()).isEqualTo("$.kind");
        assertThat(http.post("/cwom/repos", """
                {"kind": "Repo", "name": "A", "slug": "%s"}""".formatted(uniqueSlug("acme/kind"))).status())
                .isEqualTo(201);
    }

    @Test
    void anUnknownIdIsNotFound() {
        problem(http.get("/cwom/repos/" + Ids.newUlid()), 404, "NOT_FOUND");
    }

    @Test
    void listsPageByPageWithANextLinkAndFiltersBySlug() {
        for (int i = 0; i < 3; i++) {
            createRepo();
        }
        List<String> seen = new ArrayList<>();
        String next = "/cwom/repos?limit=2";
        while (next != null) {
            JsonNode page = http.get(next).json();
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(item -> seen.add(item.get("id").asString()));
            next = page.hasNonNull("next") ? page.get("next").asString() : null;
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(3).isSorted().doesNotHaveDuplicates();

        String slug = uniqueSlug("acme/one");
        String id = created(http.post("/cwom/repos", "{\"name\": \"One\", \"slug\": \"" + slug + "\"}"));
        JsonNode filtered = http.get("/cwom/repos?slug=" + slug).json();
        assertThat(filtered.get("items").findValuesAsString("id")).containsExactly(id);
        assertThat(filtered.has("next")).isFalse();
    }

    @Test
    void refusesALimitOutOfRangeAndABadCursor() {
        assertThat(problem(http.get("/cwom/repos?limit=0"), 400, "VALIDATION_FAILED").toString()).contains("query.limit");
        problem(http.get("/cwom/repos?limit=1001"), 400, "VALIDATION_FAILED");
        problem(http.get("/cwom/repos?limit=abc"), 400, "BAD_REQUEST");
        assertThat(problem(http.get("/cwom/repos?cursor=nope"), 400, "VALIDATION_FAILED").toString())
                .contains("query.cursor");
    }
}
