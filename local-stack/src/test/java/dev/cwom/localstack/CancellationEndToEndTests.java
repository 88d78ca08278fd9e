package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.model.Ids;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Canceling an Issue over REST reaches the worker running it, in another JVM: through ingest's outbox, the relay and
 * {@code cwom.issues.canceled.v1}. The worker stops the shell command and the run ends canceled, recorded by the sink
 * with its trace, while the Issue stays canceled. On the shared stack.
 */
class CancellationEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void cancelingAnIssueStopsItsRunningShellRunWhichEndsCanceledWithItsTrace() {
        LocalStack stack = SharedStack.get();
        try (StackClient client = StackClient.of(stack)) {
            String issue = Ids.newUlid();
            client.submit(issue, DemoIssues.event()
                    .setRepoJson(DemoIssues.repo("e2e/cancel-" + issue.substring(18).toLowerCase(), "sleep"))
                    .setIssueJson(DemoIssues.issue(issue, "Wait until someone cancels this", "chore", "shell"))
                    .setContextPacketsJson(List.of(DemoIssues.packet("A run that would take five minutes.",
                            List.of("sleep 300")))) // ends long after WAIT unless the cancellation stops it
                    .setConstraintSnapshotJson(DemoIssues.constraints(10, "sleep"))
                    .build());

            await("the shell run started").atMost(WAIT).until(() -> latestRun(client, issue, "running") != null);
            String run = latestRun(client, issue, "running");

            client.patch("/cwom/issues/" + issue + "/status",
                    "{\"status\": \"canceled\", \"reason\": \"no longer needed\"}");

            await("the run ended canceled").atMost(WAIT).until(() -> {
                JsonNode stored = client.get("/cwom/runs/" + run);
                return stored != null && "canceled".equals(stored.path("status").asString());
            });
            JsonNode stored = client.get("/cwom/runs/" + run);
            assertThat(stored.path("failure").isMissingNode() || stored.path("failure").isNull()).isTrue();
            assertThat(stored.path("outputs").path("result_summary").asString()).contains("canceled", issue);
            assertThat(client.get("/cwom/issues/" + issue).path("issue").path("status").asString())
                    .isEqualTo("canceled");
            await("the canceled run's trace stored").atMost(WAIT).until(() -> StackClient
                    .items(client.get("/cwom/runs/" + run + "/artifacts")).stream()
                    .anyMatch(artifact -> "trace".equals(artifact.path("type").asString())));
        }
    }

    /** The id of the Issue's newest run in {@code status}, or null. */
    private static @Nullable String latestRun(StackClient client, String issue, String status) {
        JsonNode view = client.get("/cwom/issues/" + issue);
        String latest = null;
        if (view != null) {
            for (JsonNode run : view.path("runs")) {
                String id = run.path("id").asString();
                if (status.equals(run.path("status").asString()) && (latest == null || id.compareTo(latest) > 0)) {
                    latest = id;
                }
            }
        }
        return latest;
    }
}
