package dev.cwom.worker.runs;

import static dev.cwom.worker.runs.PickupHarness.finishedPayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.ArtifactType;
import dev.cwom.events.FailureCategory;
import dev.cwom.events.PinnedInput;
import dev.cwom.events.PinnedRef;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.WorkOrder;
import dev.cwom.json.Digests;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.blobs.BlobStoreStub;
import dev.cwom.worker.executors.ShellExecutor;
import dev.cwom.worker.executors.TestWorkOrder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class PickupLoopTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void oneWorkOrderGivesOneRunStartedItsArtifactsATraceAndOneRunFinishedDone() throws Exception {
        harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        RunEvent startedEvent = harness.started(order.getIssueId()).getFirst();
        RunStarted started = (RunStarted) startedEvent.getPayload();
        RunFinished finished = finishedPayload(harness.finished(order.getIssueId()).getFirst());
        List<ArtifactCreated> artifacts = harness.artifacts(order.getIssueId());

        assertThat(harness.started(order.getIssueId())).hasSize(1);
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.done);
        assertThat(finished.getFailure()).isNull();
        assertThat(started.getWorkOrderEventId()).isEqualTo(order.getEventId());
        assertThat(startedEvent.getWorkerId()).isEqualTo("worker-1");
        assertThat(pinned(started)).containsExactlyInAnyOrderElementsOf(pinnedIn(order));
        // the Issue's meta (it names the executor) is the Issue's: a worker's run has no tags, meta or risk notes
        assertThat(started.getTags()).isEmpty();
        assertThat(dev.cwom.events.RunEventMapping.meta(started.getMetaJson())).as("the run's trace, not the Issue's")
                .containsKey("trace_id").doesNotContainKey("executor");
        assertThat(started.getPlanRiskNotes()).isEmpty();
        assertThat(artifacts).allSatisfy(a -> assertThat(a.getRunId()).isEqualTo(startedEvent.getRunId()));
        // the sink records a run it first sees through an artifact from the artifact's repo, reading no ingest table
        assertThat(artifacts).allSatisfy(a -> assertThat(a.getRepoId()).isEqualTo(order.getRepoId()));
        assertThat(artifacts).allSatisfy(a -> assertThat(a.getTags()).isEmpty())
                .allSatisfy(a -> assertThat(a.getMetaJson()).isNull());
        assertThat(artifacts).extracting(ArtifactCreated::getType)
                .containsExactlyInAnyOrder(ArtifactType.report, ArtifactType.trace);
        assertThat(finished.getArtifactIds()).containsExactlyInAnyOrderElementsOf(
                artifacts.stream().map(ArtifactCreated::getArtifactId).toList());

        ArtifactCreated trace = artifacts.stream().filter(a -> a.getType() == ArtifactType.trace).findFirst()
                .orElseThrow();
        List<String> uploaded = harness.blobs.received().stream().map(r -> Digests.sha256(r.body())).toList();
        assertThat(uploaded).contains(trace.getDigest());
        BlobStoreStub.Received traceBody = harness.blobs.received().stream()
                .filter(r -> Digests.sha256(r.body()).equals(trace.getDigest())).findFirst().orElseThrow();
        assertThat((long) traceBody.body().length).isEqualTo(trace.getSizeBytes());
        assertThat(trace.getMediaType()).isEqualTo("application/zip");
        assertThat(trace.getUri()).endsWith(trace.getDigest());
        assertThat(trace.getPreview()).contains("manifest.json");
    }

    @Test
    void theRunContinuesItsWorkOrdersTraceOnEveryRecordUploadAndTheManifest() throws Exception {
        harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        String traceId = "9bf92f3577b34da6a3ce929d0e0e4736";
        harness.send(order, "00-" + traceId + "-00f067aa0ba902b7-01");

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        RunEvent startedEvent = harness.started(order.getIssueId()).getFirst();
        String runId = startedEvent.getRunId();

        List<ConsumerRecord<String, Object>> records = harness.records(order.getIssueId());
        assertThat(records).hasSizeGreaterThanOrEqualTo(4); // started, report, trace, finished
        assertThat(records).allSatisfy(r -> {
            assertThat(header(r, "traceparent")).startsWith("00-" + traceId + "-");
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(r, "ce_source")).isEqualTo("/cwom/worker/worker-1");
            assertThat(header(r, "ce_subject")).isEqualTo(runId);
            assertThat(header(r, "content-type")).isEqualTo("application/avro");
        });
        assertThat(records).extracting(r -> header(r, "ce_type")).contains("dev.cwom.run.started.v1",
                "dev.cwom.run.finished.v1", "dev.cwom.artifact.created.v1");
        assertThat(records).filteredOn(r -> r.value() instanceof RunEvent)
                .allSatisfy(r -> assertThat(header(r, "ce_id")).isEqualTo(((RunEvent) r.value()).getEventId()));

        assertThat(dev.cwom.events.RunEventMapping.meta(((RunStarted) startedEvent.getPayload()).getMetaJson()))
                .containsEntry("trace_id", traceId);
        assertThat(harness.blobs.received()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.traceparent()).startsWith("00-" + traceId + "-"));
        tools.jackson.databind.JsonNode manifest = dev.cwom.json.CwomJson.mapper().readTree(
                harness.traceFile(order.getIssueId(), runId, "manifest.json"));
        assertThat(manifest.get("trace_id").asString()).isEqualTo(traceId);
        // the finished manifest links the lineage of the trace it travels in
        String traceArtifact = records.stream().map(ConsumerRecord::value).filter(v -> v instanceof ArtifactCreated a
                && a.getType() == ArtifactType.trace).map(v -> ((ArtifactCreated) v).getArtifactId()).findFirst()
                .orElseThrow();
        assertThat(manifest.get("lineage").asString()).isEqualTo("/cwom/artifacts/" + traceArtifact + "/lineage");
    }

    private static String header(ConsumerRecord<String, Object> record, String name) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(name);
        return header == null ? "(none)" : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theRunShowsWhoAskedForIt() throws Exception {
        harness.startWorker("worker-1");
        WorkOrder order = WorkOrder.newBuilder(TestWorkOrders.forExecutor("noop")).setRequestedBy("ana").build();
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);
        RunStarted started = (RunStarted) harness.started(order.getIssueId()).getFirst().getPayload();
        assertThat(dev.cwom.events.RunEventMapping.meta(started.getMetaJson())).containsEntry("requested_by", "ana");
    }

    @Test
    void aReplayedRunNamesTheRunItReplaysAndKeepsTheCarriedDigests() throws Exception {
        harness.startWorker("worker-1");
        WorkOrder order = WorkOrder.newBuilder(TestWorkOrders.forExecutor("noop")).setAttempt(3)
                .setReplayOf("01J0000000000000000000RUN1").build();
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);
        RunStarted started = (RunStarted) harness.started(order.getIssueId()).getFirst().getPayload();
        assertThat(dev.cwom.events.RunEventMapping.meta(started.getMetaJson()))
                .containsEntry("replay_of", "01J0000000000000000000RUN1").containsEntry("attempt", 3);
        List<String> carried = order.getInputs().stream()
                .filter(i -> i.getKind().equals("ContextPacket")).map(i -> i.getDigest()).toList();
        assertThat(started.getContextPackets()).extracting(p -> p.getDigest()).containsExactlyElementsOf(carried);
    }

    @Test
    void aReplayedWorkOrderWhoseCarriedInputsDoNotMatchTheirDigestsIsRefusedWithTheReason() throws Exception {
        HoldingExecutor executor = HoldingExecutor.released();
        harness.startWorker("worker-1", executor);
        WorkOrder order = WorkOrder.newBuilder(TestWorkOrders.tampered(TestWorkOrders.forExecutor(HoldingExecutor.NAME)))
                .setReplayOf("01J0000000000000000000RUN1").build();
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        RunFinished finished = finishedPayload(harness.finished(order.getIssueId()).getFirst());
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(finished.getFailure().getCategory()).isEqualTo(FailureCategory.policy);
        assertThat(finished.getFailure().getMessage()).contains("does not match its pinned digest");
        assertThat(executor.started()).isZero();
    }

    @Test
    void aDigestThatDoesNotMatchItsContentFailsTheRunWithPolicyAndExecutesNothing() throws Exception {
        HoldingExecutor executor = HoldingExecutor.released();
        harness.startWorker("worker-1", executor);
        WorkOrder order = TestWorkOrders.tampered(TestWorkOrders.forExecutor(HoldingExecutor.NAME));
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        RunFinished finished = finishedPayload(harness.finished(order.getIssueId()).getFirst());
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(finished.getFailure().getCategory()).isEqualTo(FailureCategory.policy);
        assertThat(finished.getFailure().getMessage()).contains("does not match its pinned digest");
        assertThat(harness.started(order.getIssueId())).hasSize(1);
        assertThat(executor.started()).isZero();
        // Only the trace, which says why: nothing ran, so there is nothing else.
        assertThat(harness.artifacts(order.getIssueId())).extracting(ArtifactCreated::getType)
                .containsExactly(ArtifactType.trace);
        assertThat(harness.blobs.received()).hasSize(1);
    }

    @Test
    void anIssueWithoutTypeIsRefusedWithPolicyOnceAndTheNextWorkOrderOnTheSamePartitionStillRuns()
            throws Exception {
        PickupLoop worker = harness.startWorker("worker-1");
        WorkOrder poison = TestWorkOrders.withIssue(TestWorkOrders.forExecutor("noop"), issue -> issue.remove("type"));
        WorkOrder next = TestWorkOrders.forExecutor("noop");
        harness.sendTo(5, poison);
        harness.sendTo(5, next);

        await().atMost(WAIT).until(() -> harness.finished(next.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(poison.getIssueId()));
        List<RunEvent> started = harness.started(poison.getIssueId());
        assertThat(started).hasSize(1);
        assertThat(harness.finished(poison.getIssueId())).hasSize(1);
        RunFinished refused = finishedPayload(harness.finished(poison.getIssueId()).getFirst());
        assertThat(refused.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(refused.getFailure().getCategory()).isEqualTo(FailureCategory.policy);
        assertThat(refused.getFailure().getMessage()).contains("Issue " + poison.getIssueId())
                .contains("is not a valid Issue").contains("$.type");
        assertThat(harness.artifacts(poison.getIssueId())).extracting(ArtifactCreated::getType)
                .containsExactly(ArtifactType.trace);
        assertThat(finishedPayload(harness.finished(next.getIssueId()).getFirst()).getStatus())
                .isEqualTo(RunOutcome.done);
        assertThat(worker.finishedRuns()).isEqualTo(2);
        // One trace per run: nothing was retried. And no folder left: each run's went once its finish committed.
        WorkerProperties properties = harness.properties("worker-1");
        String nextRun = harness.started(next.getIssueId()).getFirst().getRunId();
        await().atMost(WAIT).until(() -> harness.artifactsArrived(next.getIssueId()));
        assertThat(harness.artifacts(poison.getIssueId())).extracting(ArtifactCreated::getRunId)
                .containsExactly(started.getFirst().getRunId());
        assertThat(harness.artifacts(next.getIssueId())).filteredOn(a -> a.getType() == ArtifactType.trace)
                .extracting(ArtifactCreated::getRunId).containsExactly(nextRun);
        await().atMost(WAIT).untilAsserted(() -> {
            try (Stream<Path> traces = Files.list(properties.traceRoot());
                    Stream<Path> work = Files.list(properties.workRoot())) {
                assertThat(traces).isEmpty();
                assertThat(work).isEmpty();
            }
        });
    }

    @Test
    void aBlockedToolInAWorkOrderFailsTheRunWithPolicyAndStartsNoProcess() throws Exception {
        harness.startWorker("worker-1", shell());
        WorkOrder order = TestWorkOrders.of(new TestWorkOrder().issueMeta("executor", ShellExecutor.NAME)
                .commands("touch first-command-ran", "rm -f something")
                .tools(List.of("touch", "rm"), List.of("rm")));
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        RunEvent finishedEvent = harness.finished(order.getIssueId()).getFirst();
        RunFinished finished = finishedPayload(finishedEvent);
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(finished.getFailure().getCategory()).isEqualTo(FailureCategory.policy);
        assertThat(finished.getFailure().getMessage()).contains("'rm' is blocked");
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        assertThat(harness.traceFile(order.getIssueId(), finishedEvent.getRunId(), "events.jsonl"))
                .contains("shell.refused").doesNotContain("command.started");
    }

    @Test
    void aBudgetOfFiveHundredthsOfAMinuteStopsSleepSixtyWithinSeconds() throws Exception {
        harness.startWorker("worker-1", shell());
        WorkOrder order = TestWorkOrders.of(new TestWorkOrder().issueMeta("executor", ShellExecutor.NAME)
                .commands("sleep 60").allowed("sleep").minutes(0.05));
        harness.send(order);

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.finished(order.getIssueId()).size() == 1);
        RunFinished finished = finishedPayload(harness.finished(order.getIssueId()).getFirst());
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(finished.getFailure().getCategory()).isEqualTo(FailureCategory.runtime);
        assertThat(finished.getFailure().getMessage()).contains("Time budget of 0.05 min (3.0 s)")
                .contains("exceeded").contains("`sleep 60`").contains("killed");
        assertThat(finished.getDurationS()).isLessThan(30.0);
    }

    @Test
    void anUnreadableWorkOrderIsRejectedWithItsBytesAndTheNextOnTheSamePartitionStillRuns() throws Exception {
        harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        harness.sendRaw(order.getIssueId(), garbage);
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> harness.rejected().size() == 1);
        RecordRejected rejected = harness.rejected().getFirst();
        assertThat(rejected.getReasonCode()).isEqualTo("WRONG_MAGIC_BYTE");
        assertThat(rejected.getSourceTopic()).isEqualTo(harness.topics.workOrders());
        assertThat(bytes(rejected.getOriginalValue())).isEqualTo(garbage);
        assertThat(new String(bytes(rejected.getOriginalKey()), StandardCharsets.UTF_8))
                .isEqualTo(order.getIssueId());
        assertThat(rejected.getMessage()).isNotBlank();
    }

    @Test
    void anUnreachableBlobStoreFailsTheAttemptWithDependencyAndTheWorkOrderRunsAgain() throws Exception {
        PickupLoop worker = harness.startWorker("worker-1");
        harness.blobs.failNext(503, 503); // both attempts of the first upload
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 2);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        List<RunEvent> started = harness.started(order.getIssueId());
        List<RunEvent> finished = harness.finished(order.getIssueId());
        assertThat(started).hasSize(2);
        assertThat(finished).extracting(RunEvent::getRunId)
                .containsExactly(started.get(0).getRunId(), started.get(1).getRunId());
        RunFinished first = finishedPayload(finished.get(0));
        assertThat(first.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(first.getFailure().getCategory()).isEqualTo(FailureCategory.dependency);
        assertThat(first.getArtifactIds()).isEmpty();
        assertThat(finishedPayload(finished.get(1)).getStatus()).isEqualTo(RunOutcome.done);
        assertThat(harness.artifacts(order.getIssueId())).extracting(ArtifactCreated::getRunId)
                .containsOnly(started.get(1).getRunId());
        assertThat(worker.finishedRuns()).isEqualTo(1);
    }

    @Test
    void aStoppedWorkerCanBeStartedAgain() throws Exception {
        PickupLoop worker = harness.startWorker("worker-1");
        await().atMost(WAIT).until(() -> worker.assignment().size() == PickupHarness.PARTITIONS);
        worker.stop();
        assertThat(worker.isRunning()).isFalse();

        worker.start();
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        assertThat(worker.finishedRuns()).isEqualTo(1);
    }

        @Test
    void aDuplicateOfAFinishedWorkOrderIsSkipped() throws Exception {
        PickupLoop worker = harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        WorkOrder after = TestWorkOrders.forExecutor("noop");
        after.setIssueId(order.getIssueId()); // same key, same partition: behind the duplicate
        harness.send(order);
        harness.send(order);
        harness.send(after);

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() >= 2);
        assertThat(harness.started(order.getIssueId())).extracting(e -> ((RunStarted) e.getPayload())
                .getWorkOrderEventId()).containsExactly(order.getEventId(), after.getEventId());
        assertThat(worker.finishedRuns()).isEqualTo(2);
    }

    @Test
    void aLongRunPublishesHeartbeatsAndFinishesWhenItsExecutorReturns() throws Exception {
        HoldingExecutor executor = HoldingExecutor.held();
        harness.startWorker("worker-1", executor);
        WorkOrder order = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        harness.send(order);

        await().atMost(WAIT).until(() -> harness.payloads(order.getIssueId(), RunHeartbeat.class).size() >= 3);
        assertThat(harness.finished(order.getIssueId())).isEmpty();
        executor.release();

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        assertThat(finishedPayload(harness.finished(order.getIssueId()).getFirst()).getStatus())
                .isEqualTo(RunOutcome.done);
        assertThat(harness.runEvents(order.getIssueId())).extracting(RunEvent::getRunId).containsOnly(
                harness.started(order.getIssueId()).getFirst().getRunId());
    }

    @Test
    void aWorkerKilledMidRunLeadsToASecondAttemptThatFinishesWithoutDuplicateEvents() throws Exception {
        PickupLoop first = harness.startWorker("worker-1", HoldingExecutor.held());
        WorkOrder order = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        harness.send(order);
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);

        first.halt();
        harness.startWorker("worker-2", HoldingExecutor.released());

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        List<RunEvent> started = harness.started(order.getIssueId());
        RunEvent finished = harness.finished(order.getIssueId()).getFirst();
        assertThat(started).extracting(RunEvent::getWorkerId).containsExactly("worker-1", "worker-2");
        assertThat(started.get(0).getRunId()).isNotEqualTo(started.get(1).getRunId());
        assertThat(finished.getRunId()).isEqualTo(started.get(1).getRunId());
        assertThat(finishedPayload(finished).getStatus()).isEqualTo(RunOutcome.done);
        // Nothing else becomes visible later: one finished event per attempt, only for the second.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.finished(order.getIssueId()).size() == 1);
        assertThat(harness.artifacts(order.getIssueId())).extracting(ArtifactCreated::getRunId)
                .containsOnly(finished.getRunId());
    }

    @Test
    void aWorkerFencedByAnotherWithItsIdStopsForGoodAndTheOtherRunsItsWorkOrders() throws Exception {
        PickupLoop first = harness.startWorker("worker-x");
        await().atMost(WAIT).until(() -> first.assignment().size() == PickupHarness.PARTITIONS);
        PickupLoop second = harness.startWorker("worker-x"); // same id: its producer fences the first one's
        await().atMost(WAIT).until(() -> !second.assignment().isEmpty());

        List<WorkOrder> orders = new ArrayList<>();
        for (int p = 0; p < PickupHarness.PARTITIONS; p++) {
            WorkOrder order = TestWorkOrders.forExecutor("noop");
            orders.add(order);
            harness.sendTo(p, order);
        }

        await().atMost(WAIT).until(() -> first.fenced() != null && !first.isRunning());
        assertThat(first.fenced()).contains("cwom-worker-worker-x", "cwom.worker.worker-id");
        await().atMost(WAIT).until(() -> orders.stream().allMatch(o -> harness.finished(o.getIssueId()).size() == 1));
        assertThat(orders).allSatisfy(o -> assertThat(finishedPayload(harness.finished(o.getIssueId()).getFirst())
                .getStatus()).isEqualTo(RunOutcome.done));
        assertThat(second.fenced()).isNull();
        assertThat(second.assignment()).hasSize(PickupHarness.PARTITIONS);
    }

    @Test
    void twoWorkersShareTheTwelvePartitionsAndEveryWorkOrderRunsOnce() throws Exception {
        PickupLoop one = harness.startWorker("worker-1");
        PickupLoop two = harness.startWorker("worker-2");
        await().atMost(WAIT).until(() -> !one.assignment().isEmpty() && !two.assignment().isEmpty()
                && one.assignment().size() + two.assignment().size() == PickupHarness.PARTITIONS);
        assertThat(one.assignment()).doesNotContainAnyElementsOf(two.assignment());

        List<WorkOrder> orders = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            WorkOrder order = TestWorkOrders.forExecutor("noop");
            orders.add(order);
            harness.send(order);
        }
        await().atMost(WAIT).until(() -> orders.stream()
                .allMatch(o -> harness.finished(o.getIssueId()).size() == 1));
        Map<String, Long> byWorker = orders.stream().map(o -> harness.finished(o.getIssueId()).getFirst())
                .collect(Collectors.groupingBy(RunEvent::getWorkerId, Collectors.counting()));
        assertThat(byWorker).containsOnlyKeys("worker-1", "worker-2");
        assertThat(orders).allSatisfy(o -> assertThat(harness.started(o.getIssueId())).hasSize(1));
    }

    @Test
    void shutdownPastItsGraceRecordsTheRunFailedAndLeavesTheWorkOrderForTheNextWorker() throws Exception {
        var properties = harness.properties("worker-1");
        properties = new dev.cwom.worker.WorkerProperties(properties.workerId(), properties.traceRoot(),
                properties.workRoot(), properties.heartbeatInterval(), Duration.ofMillis(500), null, null, null,
                properties.blobs(), properties.pickup(), properties.ceiling());
        PickupLoop first = harness.startWorker(properties, HoldingExecutor.held());
        WorkOrder order = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        harness.send(order);
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);

        first.stop();

        assertThat(first.isRunning()).isFalse();
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        RunFinished abandoned = finishedPayload(harness.finished(order.getIssueId()).getFirst());
        assertThat(abandoned.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(abandoned.getFailure().getCategory()).isEqualTo(FailureCategory.runtime);
        assertThat(abandoned.getFailure().getMessage()).isEqualTo("worker shut down");

        harness.startWorker("worker-2", HoldingExecutor.released());
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 2);
        RunEvent second = harness.finished(order.getIssueId()).get(1);
        assertThat(second.getWorkerId()).isEqualTo("worker-2");
        assertThat(finishedPayload(second).getStatus()).isEqualTo(RunOutcome.done);
    }

    @Test
    void shutdownLetsARunThatEndsWithinTheGraceFinishAndCommit() throws Exception {
        HoldingExecutor executor = HoldingExecutor.held();
        PickupLoop worker = harness.startWorker("worker-1", executor);
        WorkOrder order = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        harness.send(order);
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);

        Thread stopping = Thread.ofVirtual().start(worker::stop);
        // stop() is held up by the running run...
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(stopping::isAlive);
        assertThat(worker.finishedRuns()).isZero();
        executor.release();
        stopping.join(WAIT.toMillis());

        assertThat(worker.isRunning()).isFalse();
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        assertThat(harness.finished(order.getIssueId())).extracting(e -> finishedPayload(e).getStatus())
                .containsExactly(RunOutcome.done);
        // Committed: a new worker does not run it again.
        PickupLoop next = harness.startWorker("worker-2", HoldingExecutor.released());
        await().atMost(WAIT).until(() -> next.assignment().size() == PickupHarness.PARTITIONS);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.started(order.getIssueId()).size() == 1);
    }

    private static ShellExecutor shell() {
        return new ShellExecutor(WorkerProperties.defaults().shell(), Duration.ofMinutes(1), Clock.systemUTC());
    }

    private static List<PinnedRef> pinned(RunStarted started) {
        return Stream.of(started.getContextPackets().stream(), started.getDoctrineRefs().stream(),
                Stream.of(started.getConstraintSnapshot())).flatMap(s -> s).toList();
    }

    private static List<PinnedRef> pinnedIn(WorkOrder order) {
        return order.getInputs().stream().filter(i -> !i.getKind().equals("Issue") && !i.getKind().equals("Repo"))
                .map(PickupLoopTests::ref).toList();
    }

    private static PinnedRef ref(PinnedInput input) {
        return new PinnedRef(input.getKind(), input.getId(), input.getVersion(), input.getDigest());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
