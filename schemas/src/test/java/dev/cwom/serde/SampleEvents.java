package dev.cwom.serde;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.ArtifactType;
import dev.cwom.events.ExecutorInfo;
import dev.cwom.events.Failure;
import dev.cwom.events.FailureCategory;
import dev.cwom.events.PinnedRef;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunMode;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import java.time.Instant;
import java.util.List;

/** Fully populated events for serde tests (timestamps in whole milliseconds, as timestamp-millis keeps them). */
final class SampleEvents {

    static final Instant STARTED = Instant.parse("2026-11-25T09:00:00.123Z");
    static final Instant ENDED = Instant.parse("2026-11-25T09:01:30.456Z");

    private SampleEvents() {
    }

    static RunEvent runFinished() {
        return RunEvent.newBuilder()
                .setEventId("01JDQ2V3W4X5Y6Z7A8B9C0D1E2")
                .setOccurredAt(ENDED)
                .setRunId("run_01JDQ2V3W4X5Y6Z7A8B9C0D1E3")
                .setIssueId("is_01JDQ2V3W4X5Y6Z7A8B9C0D1E4")
                .setRepoId("repo_01JDQ2V3W4X5Y6Z7A8B9C0D1E5")
                .setWorkerId("worker-1")
                .setPayload(RunFinished.newBuilder()
                        .setStatus(RunOutcome.failed)
                        .setFailure(new Failure(FailureCategory.test, "2 tests failed"))
                        .setStartedAt(STARTED)
                        .setEndedAt(ENDED)
                        .setDurationS(90.333)
                        .setCostUsd(0.42)
                        .setCostTokens(12_345L)
                        .setCostComputeS(null)
                        .setArtifactIds(List.of("art_1", "art_2"))
                        .setResultSummary("ünïcödé summary")
                        .setDecisionLog(List.of("chose plan B"))
                        .build())
                .build();
    }

    static RunEvent runStarted() {
        PinnedRef ref = new PinnedRef("ContextPacket", "cp_1", "3", "sha256:" + "a".repeat(64));
        return RunEvent.newBuilder()
                .setEventId("01JDQ2V3W4X5Y6Z7A8B9C0D1F0")
                .setOccurredAt(STARTED)
                .setRunId("run_2")
                .setIssueId("is_2")
                .setRepoId("repo_2")
                .setWorkerId(null)
                .setPayload(RunStarted.newBuilder()
                        .setWorkOrderEventId("01JDQ2V3W4X5Y6Z7A8B9C0D1F1")
                        .setMode(RunMode.agent)
                        .setExecutor(new ExecutorInfo("agent", "claude", null, "jdk-25", List.of("maven")))
                        .setContextPackets(List.of(ref))
                        .setDoctrineRefs(List.of())
                        .setConstraintSnapshot(ref)
                        .setPlanSteps(List.of("build", "test"))
                        .setPlanRiskNotes(List.of("flaky integration tests"))
                        .setStartedAt(STARTED)
                        .setTags(List.of("nightly"))
                        .setMetaJson("{\"ticket\":\"CWOM-1\"}")
                        .build())
                .build();
    }

    static ArtifactCreated artifact() {
        return ArtifactCreated.newBuilder()
                .setEventId("01JDQ2V3W4X5Y6Z7A8B9C0D1G0")
                .setOccurredAt(ENDED)
                .setArtifactId("art_1")
                .setRunId("run_1")
                .setIssueId("is_1")
                .setType(ArtifactType.code_patch)
                .setTitle("patch")
                .setUri("blob://sha256/abc")
                .setDigest(null)
                .setMediaType("text/x-diff")
                .setSizeBytes(120L)
                .setPreview(null)
                .setTags(List.of("patch", "ünïcödé"))
                .setMetaJson("{\"reviewer\":\"ana\"}")
                .build();
    }
}
