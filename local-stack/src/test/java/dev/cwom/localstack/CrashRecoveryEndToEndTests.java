package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.localstack.StackDatabase.ArtifactRow;
import dev.cwom.localstack.StackDatabase.RunRow;
import dev.cwom.model.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost, nothing duplicated when every service crashes at once: with issues flowing and slow shell runs in
 * progress, ingest-service, artifact-service and both workers are killed with SIGKILL (no shutdown hook, no graceful
 * anything), issues keep arriving on Kafka while they are down, and then they start again on the same data.
 */
class CrashRecoveryEndToEndTests {

    private static final int SLOW_ISSUES = 6;
    private static final int KAFKA_ISSUES = 60;
    private static final int REST_ISSUES = 20;
    private static final int ISSUES_WHILE_DOWN = 40;
    private static final List<String> SERVICES = List.of("ingest-service", "artifact-service", "worker-service #1",
            "worker-service #2");

    @Test
    void issuesSubmittedBeforeDuringAndAfterASigkillOfEveryServiceAllEndDoneWithExactlyOneDoneRun()
            throws Exception {
        LocalStack stack = SharedStack.get();
        String suffix = Ids.newUlid().substring(18).toLowerCase();
        Set<String> slowIssues = ConcurrentHashMap.newKeySet();
        Set<String> issueIds = ConcurrentHashMap.newKeySet();
        String repo = DemoIssues.repo("crash/kafka-" + suffix, "sleep", "echo");

        try (StackClient client = StackClient.of(stack); StackDatabase db = StackDatabase.of(stack)) {
            for (int i = 0; i < SLOW_ISSUES; i++) {
                slowIssues.add(submit(client, repo, "Slow issue " + i, List.<Object>of("sleep 4", "echo slept")));
            }
            for (int i = 0; i < KAFKA_ISSUES; i++) {
                issueIds.add(submit(client, repo, "Kafka issue " + i, null));
            }
            client.flush();
            String restRepo = DemoIssues.restRepoId(client, "crash/rest-" + suffix);
            for (int i = 0; i < REST_ISSUES; i++) {
                issueIds.add(client.post("/cwom/issues", DemoIssues.restIssue(restRepo, "REST issue " + i))
                        .path("id").asString());
            }
            issueIds.addAll(slowIssues);

            await("a slow run in progress").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> db.runs(slowIssues).stream().anyMatch(r -> "running".equals(r.status())));
            SERVICES.forEach(name -> stack.service(name).kill());
            assertThat(SERVICES).noneMatch(name -> stack.service(name).isRunning());

            for (int i = 0; i < ISSUES_WHILE_DOWN; i++) {
                issueIds.add(submit(client, repo, "Issue sent while the services were down " + i, null));
            }
            client.flush();
            restart(stack);

            await("every Issue done after the crash").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(db.statusCounts(issueIds))
                            .containsExactlyEntriesOf(Map.of("done", issueIds.size())));
            await("the artifacts of every finished run").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(db.traces(issueIds).keySet()).containsAll(doneRuns(db, issueIds)));

            List<RunRow> runs = db.runs(issueIds);
            Map<String, List<ArtifactRow>> artifactsByRun = db.artifacts(issueIds).stream()
                    .collect(Collectors.groupingBy(ArtifactRow::runId));
            Map<String, List<RunRow>> runsByIssue = runs.stream().collect(Collectors.groupingBy(RunRow::issueId));
            assertThat(runsByIssue.keySet()).containsExactlyInAnyOrderElementsOf(issueIds);
            runsByIssue.forEach((issue, itsRuns) -> {
                List<RunRow> done = itsRuns.stream().filter(r -> "done".equals(r.status())).toList();
                // Exactly one: the copy the relay publishes after a crash between the broker's ack and its outbox
                // commit is skipped by whichever worker meets it (docs/worker.md, "Duplicate?").
                assertThat(done).as("finished runs of Issue %s", issue).hasSize(1);
                for (RunRow run : itsRuns) {
                    List<ArtifactRow> artifacts = artifactsByRun.getOrDefault(run.id(), List.of());
                    if ("done".equals(run.status())) {
                        assertThat(artifacts).as("artifacts of run %s", run.id())
                                .filteredOn(a -> "trace".equals(a.type())).hasSize(1);
                    } else {
                        assertThat(run.status()).as("an abandoned attempt of Issue %s", issue)
                                .isIn("running", "failed");
                        assertThat(artifacts).as("artifacts of the abandoned run %s", run.id()).isEmpty();
                    }
                }
            });
            assertThat(slowIssues).as("slow issues whose first attempt the crash abandoned")
                    .anyMatch(issue -> runsByIssue.get(issue).size() > 1);
            PipelineEndToEndTests.verifyTraceBlobs(client, db.traces(issueIds));
        } finally {
            restart(stack);
        }
    }

    private static String submit(StackClient client, String repo, String title, @Nullable List<Object> commands) {
        String id = Ids.newUlid();
        boolean shell = commands != null;
        client.submitAsync(id, DemoIssues.event()
                .setRepoJson(repo)
                .setIssueJson(DemoIssues.issue(id, title, shell ? "chore" : "research", shell ? "shell" : null))
                .setContextPacketsJson(List.of(DemoIssues.packet("Packet of " + title, commands)))
                .setConstraintSnapshotJson(DemoIssues.constraints(5, "sleep", "echo"))
                .build());
        return id;
    }

    private static List<String> doneRuns(StackDatabase db, Set<String> issueIds) throws Exception {
        return db.runs(issueIds).stream().filter(r -> "done".equals(r.status())).map(RunRow::id).toList();
    }

    /** Starts again whatever is not running: ingest-service first (it owns the migrations), then the others. */
    private static void restart(LocalStack stack) {
        Duration timeout = stack.settings().startupTimeout();
        ServiceProcess ingest = stack.service("ingest-service");
        if (!ingest.isRunning()) {
            ingest.start();
            ingest.awaitHealthy(timeout);
        }
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (String name : SERVICES.subList(1, SERVICES.size())) {
            ServiceProcess service = stack.service(name);
            if (!service.isRunning()) {
                service.start();
                starting.add(CompletableFuture.runAsync(() -> service.awaitHealthy(timeout)));
            }
        }
        starting.forEach(CompletableFuture::join);
    }
}
