package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.model.Ids;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A ready -> planned toggle storm over REST, with the stack's real relay and workers: each planned withdraws the work
 * orders dispatched so far, so the Issue gets at most one run per time it was ready when a worker took it, ends in the
 * status it was last moved to, and a withdrawn run never moves it. On the shared stack.
 */
class ToggleStormEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int TOGGLES = 10;

    @Test
    void readyPlannedTenTimesGivesAtMostOneRunPerAttemptAndTheIssueFollowsOnlyItsLastMove() {
        LocalStack stack = SharedStack.get();
        try (StackClient client = StackClient.of(stack)) {
            String repoId = DemoIssues.restRepoId(client, "e2e/toggle-" + Ids.newUlid().substring(18).toLowerCase());
            String issue = created(client, repoId);
            String token = stack.credentials().admin();

            boolean workerTookIt = false;
            for (int n = 0; n < TOGGLES && !workerTookIt; n++) {
                assertThat(status(client, token, issue, "ready").statusCode()).isEqualTo(200);
                HttpResponse<String> leave = status(client, token, issue, "planned");
                // a worker's run of the current attempt may have made it running first: that run stands
                workerTookIt = leave.statusCode() == 409;
                if (!workerTookIt) {
                    assertThat(leave.statusCode()).as(leave.body()).isEqualTo(200);
                }
            }
            if (!workerTookIt) {
                // everything dispatched so far is withdrawn: whatever runs a worker took end without moving it
                await("the withdrawn runs ended").pollDelay(Duration.ofSeconds(5)).atMost(WAIT)
                        .until(() -> runs(client, issue).stream().noneMatch(r -> "running".equals(status(r))));
                assertThat(issueStatus(client, issue)).as("the status it was last moved to").isEqualTo("planned");
                assertThat(status(client, token, issue, "ready").statusCode()).isEqualTo(200);
            }
            await("the last attempt ran").atMost(WAIT).until(() -> "done".equals(issueStatus(client, issue)));
            // the sink stores the runs in its own time: wait until the latest attempt's run is there, done
            await("the sink stored the last attempt").atMost(WAIT).until(() -> {
                List<JsonNode> stored = runs(client, issue);
                return stored.stream().max(Comparator.comparingInt(ToggleStormEndToEndTests::attempt))
                        .map(r -> "done".equals(status(r))).orElse(false);
            });

            List<JsonNode> runs = runs(client, issue);
            Map<Integer, Long> perAttempt = runs.stream()
                    .collect(Collectors.groupingBy(ToggleStormEndToEndTests::attempt, Collectors.counting()));
            assertThat(perAttempt.keySet()).as("every run numbered by ingest").doesNotContain(0);
            assertThat(perAttempt.values()).as("at most one run per attempt").allMatch(n -> n == 1);
            assertThat(runs).filteredOn(r -> "canceled".equals(status(r))).allSatisfy(r ->
                    assertThat(r.path("outputs").path("result_summary").asString()).contains("was withdrawn"));
        }
    }

    private static String created(StackClient client, String repoId) {
        ObjectNode issue = (ObjectNode) dev.cwom.json.CwomJson.mapper().readTree(
                DemoIssues.restIssue(repoId, "Toggled ready and planned"));
        issue.put("status", "planned");
        return client.post("/cwom/issues", issue.toString()).path("id").asString();
    }

    private static HttpResponse<String> status(StackClient client, String token, String issue, String status) {
        return client.call("PATCH", "/cwom/issues/" + issue + "/status", "{\"status\": \"" + status + "\"}", token);
    }

    private static String issueStatus(StackClient client, String issue) {
        return client.get("/cwom/issues/" + issue).path("issue").path("status").asString();
    }

    /** The Issue's runs as the sink stored them (with their meta). */
    private static List<JsonNode> runs(StackClient client, String issue) {
        return StackClient.items(client.get("/cwom/runs?issue_id=" + issue + "&limit=100"));
    }

    /** The run's attempt number, as ingest gave it (0 when it has none). */
    private static int attempt(JsonNode run) {
        return run.path("meta").path("attempt").asInt();
    }

    private static String status(JsonNode run) {
        return run.path("status").asString();
    }
}
