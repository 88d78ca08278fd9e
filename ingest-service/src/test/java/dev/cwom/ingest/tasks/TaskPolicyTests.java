package dev.cwom.ingest.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each policy rule refuses with its stable code; the test context allows repos under acme/ only. */
class TaskPolicyTests extends IngestApiTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "INVALID_OPERATION      | 400 | \"operation\": \"deploy\"",
            "OBJECTIVE_LENGTH       | 400 | \"objective\": \"abc\"",
            "REPO_NOT_ALLOWED       | 403 | \"target\": {\"repo\": \"evil/stuff\"}",
            "TIME_BUDGET_TOO_LOW    | 400 | \"constraints\": {\"time_budget_seconds\": 29}",
            "TIME_BUDGET_TOO_HIGH   | 400 | \"constraints\": {\"time_budget_seconds\": 86401}",
            "NETWORK_ACCESS_DENIED  | 403 | \"constraints\": {\"allow_network\": true}",
            "SECRETS_ACCESS_DENIED  | 403 | \"constraints\": {\"allow_secrets\": true}"})
    void refusesWithItsCode(String code, int status, String override) {
        String task = with(override);
        String repo = JSON.readTree(task).get("target").get("repo").asString();

        JsonNode body = problem(http.post("/tasks/enqueue", task), status, code);

        assertThat(body.get("detail").asString()).isNotBlank();
        assertThat(jdbc.sql("SELECT count(*) FROM tasks WHERE repo_slug = :repo").param("repo", repo)
                .query(Long.class).single()).as("no task stored for %s", repo).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM cwom_repos WHERE slug = :repo").param("repo", repo)
                .query(Long.class).single()).as("no Repo created for %s", repo).isZero();
    }

    @Test
    void theSameTaskToAnAllowedRepoIsStoredUnderItsRepo() {
        // the counterpart of the checks above: a refusal leaves no row where an admitted task leaves one
        String task = with("\"inputs\": {}");
        String repo = JSON.readTree(task).get("target").get("repo").asString();

        assertThat(http.post("/tasks/enqueue", task).status()).isEqualTo(201);
        assertThat(jdbc.sql("SELECT count(*) FROM tasks WHERE repo_slug = :repo").param("repo", repo)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void anObjectiveOfMoreThan4000CharactersIsRefused() {
        problem(http.post("/tasks/enqueue", with("\"objective\": \"" + "x".repeat(4001) + "\"")), 400,
                "OBJECTIVE_LENGTH");
    }

    @Test
    void theLimitsThemselvesAreAllowed() {
        assertThat(http.post("/tasks/enqueue", with("\"constraints\": {\"time_budget_seconds\": 30}")).status())
                .isEqualTo(201);
        assertThat(http.post("/tasks/enqueue", with("\"constraints\": {\"time_budget_seconds\": 86400}")).status())
                .isEqualTo(201);
        assertThat(http.post("/tasks/enqueue", with("\"objective\": \"abcde\"")).status()).isEqualTo(201);
    }

    @Test
    void aMissingBudgetTakesTheDefaultOf900Seconds() {
        JsonNode task = http.post("/tasks/enqueue", with("\"inputs\": {}")).json();

        assertThat(task.get("constraints").get("time_budget_seconds").asInt()).isEqualTo(900);
    }

    @Test
    void createCwomFalseIsRefusedAndTrueIsAccepted() {
        problem(http.post("/tasks/enqueue?create_cwom=false", with("\"inputs\": {}")), 400, "CWOM_REQUIRED");
        assertThat(http.post("/tasks/enqueue?create_cwom=true", with("\"inputs\": {}")).status()).isEqualTo(201);
    }

    @Test
    void missingTargetAndRequesterAreFieldErrors() {
        JsonNode body = problem(http.post("/tasks/enqueue", "{\"objective\": \"Do it now\", \"operation\": \"ops\"}"),
                400, "VALIDATION_FAILED");

        assertThat(body.get("errors").findValuesAsString("path")).contains("$.target", "$.requested_by");
    }

    /** A valid task (to an allowed repo) with one member replaced, e.g. {@code "operation": "deploy"}. */
    static String with(String member) {
        tools.jackson.databind.node.ObjectNode task = (tools.jackson.databind.node.ObjectNode) JSON.readTree("""
                {"objective": "Do the thing well", "operation": "ops", "target": {"repo": "acme/policy-%s"},
                 "requested_by": {"kind": "human", "id": "ana"}}""".formatted(Ids.newUlid().toLowerCase()));
        task.setAll((tools.jackson.databind.node.ObjectNode) JSON.readTree("{" + member + "}"));
        return task.toString();
    }

    static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();
}
