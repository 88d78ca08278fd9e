package dev.cwom.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Broken bodies of every sort get a 4xx problem+json answer, never a 500 and never a success. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputTests extends IngestApiTest {

    private static final String ULID = "01JJ8Z5K4T3W6X7Y8Z9ABCDEFG";
    private String repo;
    private String issue;

    @BeforeAll
    void objectsToPointAt() {
        http = new Http(port);
        repo = createRepo();
        issue = createIssue(repo);
    }

    Stream<Arguments> brokenBodies() {
        String issueOk = "{\"repo\": {\"kind\": \"Repo\", \"id\": \"" + ULID + "\"}, \"title\": \"T\", \"type\": \"bug\"";
        List<Arguments> cases = new ArrayList<>();
        // not JSON at all
        add(cases, "/cwom/repos", "");
        add(cases, "/cwom/repos", "not json");
        add(cases, "/cwom/repos", "{");
        add(cases, "/cwom/repos", "}");
        add(cases, "/cwom/repos", "{\"name\": \"a\",}");
        add(cases, "/cwom/repos", "{'name': 'a'}");
        add(cases, "/cwom/repos", "{\"name\": \"a\" \"slug\": \"b\"}");
        add(cases, "/cwom/repos", "{\"name\": \"unterminated}");
        add(cases, "/cwom/repos", "{\"name\": NaN}");
        add(cases, "/cwom/repos", "{\"name\": undefined}");
        add(cases, "/cwom/repos", "{name: \"a\"}");
        add(cases, "/cwom/repos", "{\"name\": \"a\"} trailing");
        add(cases, "/cwom/repos", "{\"name\": \"a\"}{\"name\": \"b\"}");
        add(cases, "/cwom/repos", "[".repeat(3000) + "]".repeat(3000));
        add(cases, "/cwom/repos", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        // JSON, but not an object
        add(cases, "/cwom/repos", "null");
        add(cases, "/cwom/repos", "[]");
        add(cases, "/cwom/repos", "[{\"name\": \"a\", \"slug\": \"a\"}]");
        add(cases, "/cwom/repos", "\"repo\"");
        add(cases, "/cwom/repos", "42");
        add(cases, "/cwom/repos", "true");
        // objects with wrong fields and types
        add(cases, "/cwom/repos", "{}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"unknown\": 1}");
        add(cases, "/cwom/repos", "{\"name\": 5, \"slug\": {}}");
        add(cases, "/cwom/repos", "{\"name\": [\"a\"], \"slug\": \"a\"}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"visibility\": \"secret\"}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"owners\": \"ana\"}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"owners\": [{\"actor_kind\": \"robot\", \"actor_id\": \"x\"}]}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"meta\": []}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"tags\": {}}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"id\": \"not-a-ulid\"}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"id\": 12}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"kind\": \"Issue\", \"created_at\": \"yesterday\"}");
        add(cases, "/cwom/repos", "{\"name\": \"" + "x".repeat(300) + "\", \"slug\": \"a\"}");
        add(cases, "/cwom/issues", "{}");
        add(cases, "/cwom/issues", issueOk + ", \"priority\": \"urgent\"}");
        add(cases, "/cwom/issues", issueOk + ", \"status\": \"finished\"}");
        add(cases, "/cwom/issues", issueOk + ", \"type\": 3}");
        add(cases, "/cwom/issues", issueOk + ", \"repo\": \"" + ULID + "\"}");
        add(cases, "/cwom/issues", issueOk + ", \"assignees\": [1, 2]}");
        add(cases, "/cwom/issues", issueOk + ", \"acceptance\": {\"criteria\": \"one\"}}");
        add(cases, "/cwom/issues", issueOk + ", \"relationships\": {\"parent\": []}}");
        add(cases, "/cwom/issues", issueOk + ", \"created_at\": \"2026-01-25T10:15:30+02:00\"}");
        add(cases, "/cwom/issues", issueOk + ", \"doctrine_refs\": [{\"kind\": \"DoctrineRef\"}]}");
        add(cases, "/cwom/issues", issueOk + ", \"title\": null}");
        add(cases, "/cwom/issues", issueOk + ", \"description\": \"" + "d".repeat(20001) + "\"}");
        add(cases, "/cwom/issues", "{\"repo\": {\"kind\": \"Repo\", \"id\": \"" + ULID + "\", \"extra\": 1}, \"title\": \"T\", \"type\": \"bug\"}");
        add(cases, "/cwom/context-packets", "{\"version\": \"1\"}");
        add(cases, "/cwom/context-packets", "{\"for_issue\": {\"kind\": \"Issue\", \"id\": \"" + ULID + "\"}, \"version\": 1.5e400}");
        add(cases, "/cwom/context-packets", "{\"for_issue\": {\"kind\": \"Issue\", \"id\": \"" + ULID + "\"}, \"version\": \"1\", \"inputs\": {\"documents\": [{}]}}");
        add(cases, "/cwom/context-packets", "{\"for_issue\": {\"kind\": \"Issue\", \"id\": \"" + ULID + "\"}, \"version\": \"1\", \"inputs\": []}");
        add(cases, "/cwom/constraint-snapshots", "{\"scope\": \"universe\"}");
        add(cases, "/cwom/constraint-snapshots", "{\"scope\": \"run\", \"constraints\": {\"energy\": {\"score_0_5\": 99999999999999999999}}}");
        add(cases, "/cwom/constraint-snapshots", "{\"scope\": \"run\", \"constraints\": {\"energy\": {\"score_0_5\": \"high\"}}}");
        add(cases, "/cwom/constraint-snapshots", "{\"scope\": \"run\", \"constraints\": {\"time\": {\"deadline\": \"tomorrow\"}}}");
        add(cases, "/cwom/constraint-snapshots", "{\"scope\": \"run\", \"constraints\": {\"time\": {\"available_minutes\": 0}}}");
        add(cases, "/cwom/constraint-snapshots", "{\"scope\": \"run\", \"captured_at\": 12345678901234567890}");
        add(cases, "/cwom/doctrine-refs", "{\"namespace\": \"n\"}");
        add(cases, "/cwom/doctrine-refs", "{\"namespace\": \"n\", \"name\": \"x\", \"version\": \"1\", \"type\": \"policy\", \"priority\": \"always\", \"statement\": \"s\"}");
        add(cases, "/cwom/doctrine-refs", "{\"namespace\": \"n\", \"name\": \"x\", \"version\": \"1\", \"type\": \"policy\", \"statement\": \"s\", \"applicability\": {\"issue_types\": [\"epic\"]}}");
        add(cases, "/cwom/runs", "{\"mode\": \"robot\"}");
        add(cases, "/cwom/runs", "{\"for_issue\": {\"kind\": \"Issue\", \"id\": \"" + ULID + "\"}, \"repo\": {\"kind\": \"Repo\", \"id\": \"" + ULID + "\"}, \"mode\": \"agent\", \"cost\": {\"tokens\": -1}}");
        add(cases, "/cwom/artifacts", "{\"type\": \"movie\"}");
        add(cases, "/cwom/artifacts", "{\"size_bytes\": \"big\"}");
        add(cases, "/tasks/enqueue", "{");
        add(cases, "/tasks/enqueue", "[]");
        add(cases, "/tasks/enqueue", "{\"objective\": 42}");
        // values PostgreSQL or canonical JSON cannot hold
        add(cases, "/cwom/issues", issueOk.replace("\"T\"", "\"T\\u0000\"") + "}");
        add(cases, "/cwom/issues", issueOk + ", \"meta\": {\"note\": \"a\\u0000b\"}}");
        add(cases, "/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"meta\": {\"x\": 1e400}}");
        add(cases, "/tasks/enqueue", TASK.formatted("\"inputs\": {\"x\": 1e400}"));
        add(cases, "/tasks/enqueue", TASK.formatted("\"inputs\": {\"x\": \"\\u0000\"}"));
        return cases.stream();
    }

    private static void add(List<Arguments> cases, String path, String body) {
        cases.add(Arguments.of(path, body));
    }

    @ParameterizedTest(name = "[{index}] POST {0}")
    @MethodSource("brokenBodies")
    void aBrokenBodyIsA4xxProblem(String path, String body) {
        assertClientProblem(http.post(path, body));
    }

    /** A valid task with one more member ({@code %s}). */
    private static final String TASK = "{\"objective\": \"Do the thing well\", \"operation\": \"ops\", "
            + "\"target\": {\"repo\": \"acme/malformed\"}, \"requested_by\": {\"kind\": \"human\", \"id\": \"ana\"}, %s}";

    @Test
    void nulCharactersAreRefusedWithTheirPathAndNothingIsStored() {
        String title = "{\"repo\": {\"kind\": \"Repo\", \"id\": \"" + repo + "\"}, \"title\": \"Add\\u0000login\", "
                + "\"type\": \"bug\"}";
        assertThat(problem(http.post("/cwom/issues", title), 400, "VALIDATION_FAILED").get("errors")
                .findValuesAsString("path")).containsExactly("$.title");

        String meta = "{\"repo\": {\"kind\": \"Repo\", \"id\": \"" + repo + "\"}, \"title\": \"NUL in meta\", "
                + "\"type\": \"bug\", \"meta\": {\"note\": \"a\\u0000b\"}}";
        assertThat(problem(http.post("/cwom/issues", meta), 400, "VALIDATION_FAILED").get("errors")
                .findValuesAsString("path")).containsExactly("$.meta.note");

        String inTask = "{\"objective\": \"Do it\\u0000now\", \"operation\": \"ops\", \"target\": {\"repo\": "
                + "\"acme/nul\"}, \"requested_by\": {\"kind\": \"human\", \"id\": \"ana\"}}";
        assertThat(problem(http.post("/tasks/enqueue", inTask), 400, "VALIDATION_FAILED").get("errors")
                .findValuesAsString("path")).containsExactly("$.objective");
        assertThat(jdbc.sql("SELECT count(*) FROM cwom_issues WHERE repo_id = :repo AND title LIKE 'NUL%'")
                .param("repo", repo).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM tasks WHERE repo_slug = 'acme/nul'").query(Long.class).single())
                .isZero();
    }

    @Test
    void aNulCharacterTheValidatorCannotSeeIsA400NotAConflict() {
        // a query parameter goes straight to PostgreSQL, which refuses U+0000 with an SQLState of class 22
        JsonNode body = problem(http.get("/cwom/repos?slug=a%00b"), 400, "INVALID_DATA");
        assertThat(body.get("detail").asString()).contains("U+0000");
    }

    @Test
    void aNumberTooLargeForJsonIsRefusedWithItsPathNotA500() {
        JsonNode task = problem(http.post("/tasks/enqueue", TASK.formatted("\"inputs\": {\"x\": 1e400}")), 400,
                "VALIDATION_FAILED");
        assertThat(task.get("errors").findValuesAsString("path")).containsExactly("$.inputs.x");

        JsonNode meta = problem(http.post("/cwom/repos", "{\"name\": \"a\", \"slug\": \"" + uniqueSlug("acme/huge")
                + "\", \"meta\": {\"n\": [-1e999]}}"), 400, "VALIDATION_FAILED");
        assertThat(meta.get("errors").findValuesAsString("path")).containsExactly("$.meta.n[0]");
        assertThat(jdbc.sql("SELECT count(*) FROM tasks WHERE repo_slug = 'acme/malformed'").query(Long.class)
                .single()).isZero();
    }

    @Test
    void thereAreAtLeastFiftyKindsOfBrokenBodies() {
        assertThat(brokenBodies().count()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void brokenStatusChangesAreProblems() {
        String path = "/cwom/issues/" + issue + "/status";
        for (String body : List.of("", "{", "[]", "\"ready\"", "{\"status\": 1}", "{\"status\": \"READY\"}",
                "{\"status\": \"ready\", \"because\": \"x\"}", "{\"status\": null}",
                "{\"status\": \"canceled\", \"reason\": \"" + "x".repeat(2001) + "\"}")) {
            assertClientProblem(http.patch(path, body));
        }
    }

    @Test
    void malformedJsonUnknownFieldsAndWrongTypesNameWhereTheyAre() {
        JsonNode malformed = problem(http.post("/cwom/repos", "{\"name\": }"), 400, "MALFORMED_JSON");
        assertThat(malformed.get("detail").asString()).contains("line 1");

        JsonNode unknown = problem(http.post("/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"colour\": 1}"),
                400, "VALIDATION_FAILED");
        assertThat(unknown.get("errors").get(0).get("path").asString()).isEqualTo("$.colour");

        JsonNode wrongType = problem(http.post("/cwom/repos", "{\"name\": \"a\", \"slug\": \"a\", \"owners\": [5]}"),
                400, "VALIDATION_FAILED");
        assertThat(wrongType.get("errors").get(0).get("path").asString()).isEqualTo("$.owners[0]");
    }

    @Test
    void invalidUtf8IsAProblem() {
        byte[] body = "{\"name\": \"\u00ff\", \"slug\": \"x\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertClientProblem(http.postBytes("/cwom/repos", "application/json", body));
    }

    @Test
    void aWrongContentTypeIs415() {
        JsonNode body = problem(http.send("POST", "/cwom/repos", "text/plain", "{\"name\": \"a\", \"slug\": \"a\"}"),
                415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(body.get("detail").asString()).contains("text/plain");
        assertClientProblem(http.send("POST", "/cwom/issues", "application/xml", "<issue/>"));
        assertClientProblem(http.send("POST", "/tasks/enqueue", null, "{}"));
    }

    @Test
    void aWrongMethodIs405() {
        problem(http.send("DELETE", "/cwom/repos/" + repo, null, null), 405, "METHOD_NOT_ALLOWED");
        problem(http.send("PUT", "/cwom/issues/" + issue, "application/json", "{}"), 405, "METHOD_NOT_ALLOWED");
        problem(http.send("POST", "/cwom/issues/" + issue + "/status", "application/json", "{}"), 405,
                "METHOD_NOT_ALLOWED");
    }

    @Test
    void badPathsAndParametersAreProblems() {
        problem(http.get("/cwom/issues/" + issue + "/nothing-here"), 404, "NOT_FOUND");
        problem(http.get("/cwom/no-such-kind"), 404, "NOT_FOUND");
        problem(http.get("/cwom/repos/not-a-ulid"), 404, "NOT_FOUND");
        assertClientProblem(http.get("/cwom/issues?limit=-5"));
        assertClientProblem(http.get("/cwom/issues?limit=99999999999"));
        assertClientProblem(http.get("/cwom/issues?limit=1.5"));
        assertClientProblem(http.get("/cwom/issues?cursor=%00"));
        assertClientProblem(http.patch("/cwom/issues/%20/status", "{\"status\": \"ready\"}"));
    }

    @Test
    void jsonBeyondTheReadLimitsIsA400WithItsPathAndNothingIsStored() {
        String slug = uniqueSlug("acme/limits");
        String deep = "{\"a\": ".repeat(70) + "1" + "}".repeat(70);
        JsonNode nested = problem(http.post("/cwom/repos", "{\"name\": \"a\", \"slug\": \"" + slug
                + "\", \"meta\": " + deep + "}"), 400, "JSON_LIMIT_EXCEEDED");
        assertThat(nested.get("errors").get(0).get("path").asString()).startsWith("$.meta");
        assertThat(nested.get("detail").asString()).contains("nesting depth", "cwom.http.json");

        JsonNode longString = problem(http.post("/cwom/issues", "{\"repo\": {\"kind\": \"Repo\", \"id\": \"" + repo
                + "\"}, \"title\": \"T\", \"type\": \"bug\", \"description\": \"" + "d".repeat(300_000) + "\"}"), 400,
                "JSON_LIMIT_EXCEEDED");
        assertThat(longString.get("errors").findValuesAsString("path")).containsExactly("$.description");
        assertThat(longString.get("detail").asString()).contains("String value length");

        JsonNode longNumber = problem(http.post("/cwom/repos", "{\"name\": \"a\", \"slug\": \"" + slug
                + "\", \"meta\": {\"n\": 1" + "0".repeat(100) + "}}"), 400, "JSON_LIMIT_EXCEEDED");
        assertThat(longNumber.get("errors").get(0).get("path").asString()).startsWith("$.meta");
        assertThat(longNumber.get("detail").asString()).contains("Number value length");
        assertThat(jdbc.sql("SELECT count(*) FROM cwom_repos WHERE slug = :slug").param("slug", slug)
                .query(Long.class).single()).isZero();
    }

    @Test
    void aBodyOverOneMebibyteIs413WhetherItsLengthIsDeclaredOrItIsChunked() {
        String body = "{\"name\": \"a\", \"slug\": \"" + uniqueSlug("acme/big") + "\", \"meta\": {\"x\": \""
                + "x".repeat(1024 * 1024) + "\"}}";
        JsonNode declared = problem(http.post("/cwom/repos", body), 413, "BODY_TOO_LARGE");
        assertThat(declared.get("max_bytes").asLong()).isEqualTo(1024 * 1024);
        assertThat(declared.get("detail").asString()).contains("Content-Length");
        JsonNode chunked = problem(http.postChunked("/tasks/enqueue", body.getBytes(StandardCharsets.UTF_8)), 413,
                "BODY_TOO_LARGE");
        assertThat(chunked.get("detail").asString()).contains("chunked");
    }

    @ParameterizedTest(name = "GET {0}?cursor=%00%ff")
    @ValueSource(strings = {"/cwom/issues", "/cwom/runs", "/cwom/repos", "/cwom/constraint-snapshots",
            "/cwom/doctrine-refs", "/tasks"})
    void aCursorThatIsNotUtf8IsA400SayingSo(String list) {
        JsonNode body = problem(http.get(list + "?cursor=%00%ff"), 400, "VALIDATION_FAILED");
        assertThat(body.get("errors").findValuesAsString("path")).containsExactly("query.cursor");
        assertThat(body.get("errors").findValuesAsString("message")).singleElement().asString()
                .contains("not percent-encoded UTF-8");
    }

    @Test
    void aListOfAnIssueWithACursorThatIsNotUtf8IsA400() {
        problem(http.get("/cwom/issues/" + issue + "/context-packets?cursor=%ff"), 400, "VALIDATION_FAILED");
        problem(http.get("/cwom/issues?status=%c3"), 400, "VALIDATION_FAILED");
    }

    @Test
    void pathsTomcatRefusesAreProblemJsonNotItsHtmlPage() {
        for (String path : List.of("/cwom/issues/..%2F..%2Fetc", "/cwom/issues/%2e%2e%5Cetc", "/cwom/repos/a%2Fb")) {
            Http.Response response = http.get(path);
            assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
            assertThat(response.body()).doesNotContain("<html");
            problem(response, 400, "MALFORMED_REQUEST");
        }
    }

    private static void assertClientProblem(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(400, 499);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        JsonNode body = response.json();
        assertThat(body.path("status").asInt()).as(response.toString()).isEqualTo(response.status());
        assertThat(body.path("detail").asString()).as(response.toString()).isNotBlank();
        assertThat(body.path("code").asString()).as(response.toString()).isNotBlank();
    }
}
