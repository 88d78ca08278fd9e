package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.localstack.StackDatabase.ArtifactRow;
import dev.cwom.localstack.StackDatabase.RunRow;
import dev.cwom.model.Ids;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's promise for the batched intake: a SIGKILL of ingest-service in the middle of an intake batch (100 Issues
 * produced at once, the kill when some but not all are stored) loses nothing and does nothing twice. Whatever the
 * killed batch's transaction had written is rolled back with it, its offsets were not committed, so the restarted
 * intake reads the batch again: the Issues stored before the kill are recognised by event id, the rest are stored
 * now. Every Issue ends {@code done}, its finished runs all from one work order, each with one trace artifact, and
 * no artifact twice.
 */
class IntakeKillEndToEndTests {

    /**
     * Produced at once. Enough for several intake batches (the first polls take what has arrived, a few records; the
     * next the rest), few enough that the pipeline finishes them within the await on a busy two-core machine (about
     * one Issue a second there, with other builds running).
     */
    private static final int ISSUES = 100;

    @Test
    void aSigkillOfIngestInTheMiddleOfAnIntakeBatchLosesNoIssueAndFinishesEachOnce() throws Exception {
        LocalStack stack = SharedStack.get();
        String repo = DemoIssues.repo("crash/intake-" + Ids.newUlid().substring(18).toLowerCase(), "echo");
        Set<String> issueIds = ConcurrentHashMap.newKeySet();
        ServiceProcess ingest = stack.service("ingest-service");

        try (StackClient client = StackClient.of(stack); StackDatabase db = StackDatabase.of(stack)) {
            for (int i = 0; i < ISSUES; i++) {
                String id = Ids.newUlid();
                issueIds.add(id);
                client.submitAsync(id, DemoIssues.event()
                        .setRepoJson(repo)
                        .setIssueJson(DemoIssues.issue(id, "Issue of a killed intake " + i, "research", null))
                        .setContextPacketsJson(List.of(DemoIssues.packet("Packet " + i, null)))
                        .setConstraintSnapshotJson(DemoIssues.constraints(5, "echo"))
                        .build());
            }
            client.flush();

            await("some of the Issues stored").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> stored(db, issueIds) > 0);
            ingest.kill();
            int storedAtTheKill = stored(db, issueIds);
            assertThat(storedAtTheKill).as("Issues stored when ingest was killed").isBetween(1, ISSUES - 1);

            ingest.start();
            ingest.awaitHealthy(stack.settings().startupTimeout());
            await("every Issue done after the kill").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(db.statusCounts(issueIds))
                            .containsExactlyEntriesOf(Map.of("done", ISSUES)));
            await("the trace of every finished run").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(db.traces(issueIds).keySet()).containsAll(db.runs(issueIds)
                            .stream().filter(r -> "done".equals(r.status())).map(RunRow::id).toList()));

            Map<String, List<RunRow>> runsByIssue = db.runs(issueIds).stream()
                    .collect(Collectors.groupingBy(RunRow::issueId));
            assertThat(runsByIssue.keySet()).containsExactlyInAnyOrderElementsOf(issueIds);
            runsByIssue.forEach((issue, runs) -> assertThat(runs.stream().filter(r -> "done".equals(r.status()))
                    .map(RunRow::workOrderEventId).distinct().toList())
                    .as("work orders of the finished runs of Issue %s", issue).hasSize(1));
            Map<String, List<ArtifactRow>> artifactsByRun = db.artifacts(issueIds).stream()
                    .collect(Collectors.groupingBy(ArtifactRow::runId));
            runsByIssue.values().stream().flatMap(List::stream).forEach(run -> {
                List<ArtifactRow> artifacts = artifactsByRun.getOrDefault(run.id(), List.of());
                if ("done".equals(run.status())) {
                    assertThat(artifacts).as("traces of run %s", run.id())
                            .filteredOn(a -> "trace".equals(a.type())).hasSize(1);
                }
                // a run has several artifacts of one type (its report and its attestation are both reports), but
                // never the same content twice: a second upload or event of one artifact would repeat its digest
                assertThat(artifacts).extracting(ArtifactRow::digest).as("artifact digests of run %s", run.id())
                        .doesNotHaveDuplicates();
            });
        } finally {
            if (!ingest.isRunning()) {
                ingest.start();
                ingest.awaitHealthy(stack.settings().startupTimeout());
            }
        }
    }

    private static int stored(StackDatabase db, Set<String> issueIds) throws Exception {
        return ISSUES - db.statusCounts(issueIds).getOrDefault("(not stored yet)", 0);
    }
}
