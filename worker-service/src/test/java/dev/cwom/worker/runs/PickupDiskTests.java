package dev.cwom.worker.runs;

import static dev.cwom.worker.runs.PickupHarness.finishedPayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.ArtifactType;
import dev.cwom.events.FailureCategory;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.WorkOrder;
import dev.cwom.json.Digests;
import dev.cwom.model.Ids;
import dev.cwom.worker.DiskSettings;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.disk.FreeSpaceGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The worker's disk with real pick-up: folders deleted when delivered, quarantine, start-up sweep, free space. */
class PickupDiskTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void aFinishedRunLeavesNoTraceFolderBundleOrWorkFolderAndItsTraceIsInTheBlobStore() throws Exception {
        harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        String runId = harness.finished(order.getIssueId()).getFirst().getRunId();
        ArtifactCreated trace = harness.artifacts(order.getIssueId()).stream()
                .filter(a -> a.getType() == ArtifactType.trace).findFirst().orElseThrow();
        assertThat(harness.blobs.received()).extracting(r -> Digests.sha256(r.body())).contains(trace.getDigest());
        assertThat(harness.traceFile(order.getIssueId(), runId, "manifest.json")).contains(runId);
        WorkerProperties properties = harness.properties("worker-1");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(properties.traceRoot().resolve(runId)).doesNotExist();
            assertThat(properties.traceRoot().resolve(runId + ".zip")).doesNotExist();
            assertThat(properties.workRoot().resolve(runId)).doesNotExist();
            assertThat(list(properties.traceRoot())).isEmpty();
            assertThat(list(properties.workRoot())).isEmpty();
        });
    }

    @Test
    void anUploadThatKeepsFailingLeavesEachGivenUpAttemptInAQuarantineThatKeepsOnlyTheNewest() throws Exception {
        WorkerProperties properties = harness.properties("worker-1")
                .withDisk(new DiskSettings(2, DataSize.ofMegabytes(100), null, null, null,
                        Duration.ofMillis(50)));
        harness.blobs.failAllWith(503);
        harness.startWorker(properties);
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.send(order);

        await().atMost(WAIT).until(() -> givenUp(order).size() >= 4);
        harness.blobs.failAllWith(null);
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).stream()
                .anyMatch(e -> finishedPayload(e).getStatus() == RunOutcome.done));

        // Attempts run one after another with ULIDs made in that order: the newest two given up are kept.
        List<String> givenUp = givenUp(order).stream().sorted(Comparator.reverseOrder()).toList();
        Path quarantine = properties.traceRoot().resolve(".quarantine");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(list(quarantine)).containsExactlyInAnyOrderElementsOf(givenUp.subList(0, 2));
            assertThat(list(properties.traceRoot())).containsExactly(".quarantine");
            assertThat(list(properties.workRoot())).isEmpty();
        });
        Path newest = quarantine.resolve(givenUp.getFirst());
        assertThat(Files.readString(newest.resolve("trace").resolve("manifest.json"))).contains(givenUp.getFirst());
        assertThat(newest.resolve(givenUp.getFirst() + ".zip")).exists();
        assertThat(Files.readString(newest.resolve("reason.txt"))).contains("blob store");
    }

    @Test
    void theStartUpSweepRemovesWhatAnEarlierInstanceOfTheWorkerLeftButNotTheQuarantine() throws Exception {
        WorkerProperties properties = harness.properties("worker-1");
        String crashed = Ids.newUlid();
        Path trace = Files.createDirectories(properties.traceRoot().resolve(crashed).resolve("artifacts"));
        Files.writeString(trace.resolveSibling("manifest.json"), "{\"run_id\":\"" + crashed
                + "\",\"worker_id\":\"worker-1\",\"status\":\"running\"}");
        Files.writeString(properties.traceRoot().resolve(crashed + ".zip"), "half a zip");
        Files.createDirectories(properties.workRoot().resolve(crashed).resolve("build"));
        Path quarantined = Files.createDirectories(properties.traceRoot().resolve(".quarantine").resolve(Ids.newUlid()));

        PickupLoop worker = harness.startWorker("worker-1");

        assertThat(properties.traceRoot().resolve(crashed)).doesNotExist();
        assertThat(properties.traceRoot().resolve(crashed + ".zip")).doesNotExist();
        assertThat(properties.workRoot().resolve(crashed)).doesNotExist();
        assertThat(quarantined).exists();
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.send(order);
        await().atMost(WAIT).until(() -> worker.finishedRuns() == 1);
    }

    @Test
    void aFullDiskPausesPickUpWhileTheRunInFlightFinishesAndTheWorkOrderRunsOnceSpaceIsBack() throws Exception {
        HoldingExecutor held = HoldingExecutor.held();
        PickupLoop worker = harness.startWorker("worker-1", held);
        FreeSpaceGuard guard = harness.freeSpaceGuard("worker-1");
        WorkOrder running = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        harness.send(running);
        await().atMost(WAIT).until(() -> harness.started(running.getIssueId()).size() == 1);

        harness.space.fill();
        await().atMost(WAIT).until(guard::paused);
        WorkOrder waiting = TestWorkOrders.forExecutor("noop");
        harness.send(waiting);
        held.release();

        await().atMost(WAIT).until(() -> harness.finished(running.getIssueId()).size() == 1);
        assertThat(finishedPayload(harness.finished(running.getIssueId()).getFirst()).getStatus())
                .isEqualTo(RunOutcome.done);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> harness.started(waiting.getIssueId()).isEmpty());
        FreeSpaceGuard.Report report = guard.report();
        assertThat(report.paused()).isTrue();
        assertThat(report.lowRoots()).contains("cwom.worker.trace-root").contains("cwom.worker.work-root")
                .contains("1 MB free");
        assertThat(worker.isRunning()).isTrue();
        assertThat(worker.fenced()).isNull();

        harness.space.free();
        await().atMost(WAIT).until(() -> harness.finished(waiting.getIssueId()).size() == 1);
        assertThat(finishedPayload(harness.finished(waiting.getIssueId()).getFirst()).getStatus())
                .isEqualTo(RunOutcome.done);
        assertThat(guard.paused()).isFalse();
    }

    /** The attempts recorded failed because the blob store could not take their outputs. */
    private List<String> givenUp(WorkOrder order) {
        return harness.finished(order.getIssueId()).stream()
                .filter(e -> finishedPayload(e).getFailure() != null
                        && finishedPayload(e).getFailure().getCategory() == FailureCategory.dependency)
                .map(RunEvent::getRunId).toList();
    }

    private static List<String> list(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
