package dev.cwom.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.model.Artifact;
import dev.cwom.model.Ids;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunEventMappingTests {

    private static final Instant AT = Instant.parse("2026-11-25T10:15:30.123Z");

    @Test
    void anArtifactIsAnnouncedWithEveryFieldItHas() {
        String runId = Ids.newUlid();
        String issueId = Ids.newUlid();
        Artifact artifact = new Artifact(Ids.newUlid(), null, Ref.to(Run.KIND, runId), Ref.to(Issue.KIND, issueId),
                dev.cwom.model.ArtifactType.CODE_PATCH, "the patch", "http://127.0.0.1:8083/blobs/sha256/ab",
                "sha256:" + "ab".repeat(32), "text/x-diff", 1234L, "--- a/x\n+++ b/x", null, List.of("patch", "small"),
                Map.of("reviewer", "ana"), null, null);

        ArtifactCreated event = RunEventMapping.artifactCreated(artifact, "P", AT);

        assertThat(Ids.isUlid(event.getEventId())).isTrue();
        assertThat(event.getOccurredAt()).isEqualTo(AT);
        assertThat(event.getArtifactId()).isEqualTo(artifact.id());
        assertThat(event.getRunId()).isEqualTo(runId);
        assertThat(event.getIssueId()).isEqualTo(issueId);
        assertThat(event.getRepoId()).isEqualTo("P");
        assertThat(event.getType()).isEqualTo(ArtifactType.code_patch);
        assertThat(event.getTitle()).isEqualTo("the patch");
        assertThat(event.getUri()).isEqualTo("http://127.0.0.1:8083/blobs/sha256/ab");
        assertThat(event.getDigest()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(event.getMediaType()).isEqualTo("text/x-diff");
        assertThat(event.getSizeBytes()).isEqualTo(1234L);
        assertThat(event.getPreview()).isEqualTo("--- a/x\n+++ b/x");
        assertThat(event.getTags()).containsExactly("patch", "small");
        assertThat(event.getMetaJson()).isEqualTo("{\"reviewer\":\"ana\"}");
    }

    @Test
    void metaTravelsAsItsJsonObjectAndReadsBackEqual() {
        Map<String, Object> meta = new java.util.LinkedHashMap<>();
        meta.put("ticket", "CWOM-7");
        meta.put("attempt", 2);
        meta.put("nested", Map.of("ok", true, "list", List.of(1.5, "x")));

        String json = RunEventMapping.metaJson(meta);

        assertThat(json).startsWith("{\"ticket\":\"CWOM-7\",\"attempt\":2,\"nested\":{");
        assertThat(RunEventMapping.meta(json)).isEqualTo(meta);
    }

    @Test
    void anEmptyMetaIsNoMetaJsonAndNoMetaJsonIsAnEmptyMeta() {
        assertThat(RunEventMapping.metaJson(Map.of())).isNull();
        assertThat(RunEventMapping.meta(null)).isEmpty();
        assertThat(RunEventMapping.meta("{}")).isEmpty();
        Artifact bare = new Artifact(Ids.newUlid(), null, Ref.to(Run.KIND, "R"), Ref.to(Issue.KIND, "I"),
                dev.cwom.model.ArtifactType.LINK, "docs", "https://example.org/docs", null, null, null, null, null,
                null, null, null, null);
        ArtifactCreated event = RunEventMapping.artifactCreated(bare, "P", AT);
        assertThat(event.getTags()).isEmpty();
        assertThat(event.getMetaJson()).isNull();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"[1, 2]", "\"text\"", "42", "null", "{\"a\": ",
        "{\"a\": 1} {\"b\": 2}", "", "{\"a\": \"nul\\u0000\"}", "{\"a\": 1e400}"})
    void metaJsonThatIsNotAStorableJsonObjectIsRefusedSayingSo(String metaJson) {
        assertThatThrownBy(() -> RunEventMapping.meta(metaJson))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("meta_json ");
    }

    @Test
    void aLinkArtifactKeepsItsAbsentFieldsAbsent() {
        ArtifactCreated event = RunEventMapping.artifactCreated("A", "R", "I", "P", dev.cwom.model.ArtifactType.LINK,
                "docs", "https://example.org/docs", null, null, null, null, AT);

        assertThat(event.getArtifactId()).isEqualTo("A");
        assertThat(event.getRunId()).isEqualTo("R");
        assertThat(event.getIssueId()).isEqualTo("I");
        assertThat(event.getType()).isEqualTo(ArtifactType.link);
        assertThat(event.getDigest()).isNull();
        assertThat(event.getMediaType()).isNull();
        assertThat(event.getSizeBytes()).isNull();
        assertThat(event.getPreview()).isNull();
    }

    @Test
    void eachAnnouncementHasItsOwnEventId() {
        ArtifactCreated first = RunEventMapping.artifactCreated("A", "R", "I", "P", dev.cwom.model.ArtifactType.LOG,
                "log", "u", null, null, null, null, AT);
        ArtifactCreated second = RunEventMapping.artifactCreated("A", "R", "I", "P", dev.cwom.model.ArtifactType.LOG,
                "log", "u", null, null, null, null, AT);

        assertThat(first.getEventId()).isNotEqualTo(second.getEventId());
    }

    @ParameterizedTest
    @EnumSource(dev.cwom.model.ArtifactType.class)
    void everyArtifactTypeHasItsEventSymbol(dev.cwom.model.ArtifactType type) {
        ArtifactCreated event = RunEventMapping.artifactCreated("A", "R", "I", "P", type, "t", "u", null, null, null,
                null, AT);

        assertThat(event.getType().name()).isEqualTo(type.value());
    }

    @ParameterizedTest
    @EnumSource(dev.cwom.model.FailureCategory.class)
    void aFailureKeepsItsCategoryAndMessage(dev.cwom.model.FailureCategory category) {
        Failure failure = RunEventMapping.failure(new Run.Failure(category, "mvn test: 3 failures"));

        assertThat(failure.getCategory().name()).isEqualTo(category.value());
        assertThat(failure.getMessage()).isEqualTo("mvn test: 3 failures");
    }

    @Test
    void aFinishedRunCarriesOutcomeFailureTimesCostArtifactsSummaryAndDecisionLog() {
        Instant started = AT.minusSeconds(90);
        RunFinished finished = RunEventMapping.runFinished(RunOutcome.failed,
                new Run.Failure(dev.cwom.model.FailureCategory.TEST, "2 tests failed"), started, AT, 90.123,
                new Run.Cost(0.42, 1500L, 88.5), List.of("A1", "A2"), "tests failed",
                List.of("ran mvn test", "gave up"));

        assertThat(finished.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(finished.getFailure()).isEqualTo(new Failure(FailureCategory.test, "2 tests failed"));
        assertThat(finished.getStartedAt()).isEqualTo(started);
        assertThat(finished.getEndedAt()).isEqualTo(AT);
        assertThat(finished.getDurationS()).isEqualTo(90.123);
        assertThat(finished.getCostUsd()).isEqualTo(0.42);
        assertThat(finished.getCostTokens()).isEqualTo(1500L);
        assertThat(finished.getCostComputeS()).isEqualTo(88.5);
        assertThat(finished.getArtifactIds()).containsExactly("A1", "A2");
        assertThat(finished.getResultSummary()).isEqualTo("tests failed");
        assertThat(finished.getDecisionLog()).containsExactly("ran mvn test", "gave up");
    }

    @Test
    void aRunDoneWithoutFailureOrCostHasThemAbsent() {
        RunFinished finished = RunEventMapping.runFinished(RunOutcome.done, null, AT, AT, 0,
                new Run.Cost(null, null, null), List.of(), null, List.of());

        assertThat(finished.getStatus()).isEqualTo(RunOutcome.done);
        assertThat(finished.getFailure()).isNull();
        assertThat(finished.getCostUsd()).isNull();
        assertThat(finished.getCostTokens()).isNull();
        assertThat(finished.getCostComputeS()).isNull();
        assertThat(finished.getResultSummary()).isNull();
        assertThat(finished.getArtifactIds()).isEmpty();
        assertThat(finished.getDecisionLog()).isEmpty();
    }

    @Test
    void theEnvelopeCarriesTheRunItsIssueRepoWorkerTimeAndPayload() {
        RunHeartbeat payload = new RunHeartbeat("running for 3 s");

        RunEvent event = RunEventMapping.runEvent("R", "I", "P", "worker-1", AT, payload);

        assertThat(Ids.isUlid(event.getEventId())).isTrue();
        assertThat(event.getOccurredAt()).isEqualTo(AT);
        assertThat(event.getRunId()).isEqualTo("R");
        assertThat(event.getIssueId()).isEqualTo("I");
        assertThat(event.getRepoId()).isEqualTo("P");
        assertThat(event.getWorkerId()).isEqualTo("worker-1");
        assertThat(event.getPayload()).isSameAs(payload);
        assertThat(RunEventMapping.runEvent("R", "I", "P", null, AT, payload).getWorkerId()).isNull();
    }

    @Test
    void aPinnedInputKeepsKindIdVersionAndDigest() {
        String digest = "sha256:" + "cd".repeat(32);

        PinnedRef pinned = RunEventMapping.pinnedRef(Ref.pinned("ContextPacket", "P1", "3", digest));

        assertThat(pinned).isEqualTo(new PinnedRef("ContextPacket", "P1", "3", digest));
        assertThat(RunEventMapping.pinnedRef(Ref.pinned("ConstraintSnapshot", "S1", null, digest)).getVersion())
                .isNull();
    }

    @Test
    void anInputWithoutDigestIsRefusedNamingIt() {
        assertThatThrownBy(() -> RunEventMapping.pinnedRef(Ref.to("DoctrineRef", "D1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DoctrineRef D1")
                .hasMessageContaining("no digest");
    }

    @Test
    void everyEventFailureCategoryHasAModelCategory() {
        // the mapping goes model -> event by symbol; a symbol only on the event side would never be produced
        assertThat(Arrays.stream(FailureCategory.values()).map(Enum::name))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(dev.cwom.model.FailureCategory.values())
                        .map(dev.cwom.model.FailureCategory::value).toList());
    }
}
