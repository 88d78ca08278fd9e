package dev.cwom.model.validation;

import static dev.cwom.testing.CwomExamples.json;
import static dev.cwom.testing.CwomExamples.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Artifact;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.CwomObject;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import dev.cwom.model.Run;
import dev.cwom.testing.CwomExamples;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

class CwomValidatorTests {

    private static final CwomValidator VALIDATOR = CwomValidator.shared();

    static Stream<Class<? extends CwomObject>> kinds() {
        return Stream.of(Repo.class, Issue.class, ContextPacket.class, ConstraintSnapshot.class, DoctrineRef.class,
                Run.class, Artifact.class);
    }

    private static List<Violation> violations(Class<? extends CwomObject> kind, String json) {
        try {
            VALIDATOR.read(json, kind);
        } catch (CwomValidationException e) {
            assertThat(e.kind()).isEqualTo(kind.getSimpleName());
            return e.violations();
        }
        return List.of();
    }

    private static List<Violation> violations(Class<? extends CwomObject> kind, String pointer, Object value) {
        return violations(kind, with(kind, pointer, value));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theValidExampleOfEachKindHasNoViolations(Class<? extends CwomObject> kind) {
        CwomObject example = CwomExamples.valid(kind);

        assertThat(VALIDATOR.validate(example)).isEmpty();
        assertThat(VALIDATOR.read(json(kind), kind)).isEqualTo(example);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theValidExampleOfEachKindSurvivesAJsonRoundTrip(Class<? extends CwomObject> kind) {
        CwomObject example = CwomExamples.valid(kind);

        String written = CwomJson.mapper().writeValueAsString(example);
        CwomObject back = CwomJson.mapper().readValue(written, kind);

        assertThat(back).isEqualTo(example);
        // Same content as the example file, whatever its layout: 15 and 15.0 are one number in canonical JSON.
        assertThat(CanonicalJson.canonicalize(written)).isEqualTo(CanonicalJson.canonicalize(json(kind)));
    }

    @Test
    void requireValidReturnsAValidObjectAndThrowsWithEveryViolationOtherwise() {
        Run run = CwomExamples.valid(Run.class);
        assertThat(VALIDATOR.requireValid(run)).isSameAs(run);

        ObjectNode tree = CwomExamples.tree(Run.class);
        with(tree, "/status", "done");
        with(tree, "/cost/tokens", -5);
        Run broken = CwomJson.mapper().treeToValue(tree, Run.class);

        assertThatThrownBy(() -> VALIDATOR.requireValid(broken))
                .isInstanceOfSatisfying(CwomValidationException.class, e -> assertThat(e.violations()).containsExactly(
                        new Violation("$.cost.tokens", "is -5; must be at least 0"),
                        new Violation("$.failure", "is given although status is 'done'; only a failed Run has a "
                                + "failure: remove it or set status to 'failed'")))
                .hasMessageStartingWith("Invalid Run (2 problems): $.cost.tokens: is -5; must be at least 0; $.failure:");
    }

    @Test
    void validatesOtherRequestBodiesWithTheSamePaths() {
        record StatusChange(@jakarta.validation.constraints.NotNull dev.cwom.model.Status status,
                @com.fasterxml.jackson.annotation.JsonProperty("why_now") @jakarta.validation.constraints.Size(max = 3)
                String reasonText) {
        }

        assertThat(VALIDATOR.validateBody(new StatusChange(null, "too long"))).containsExactly(
                new Violation("$.status", "is missing; this field is required"),
                new Violation("$.why_now", "has 8 characters; at most 3 are allowed"));
        assertThat(VALIDATOR.validateBody(CwomExamples.valid(Repo.class))).isEmpty();
    }

    @Nested
    class ReadingJson {

        @Test
        void malformedJsonIsOneViolationAtTheRootWithItsPosition() {
            assertThat(violations(Issue.class, "{\"title\": \"x\",, }")).singleElement().satisfies(v -> {
                assertThat(v.path()).isEqualTo("$");
                assertThat(v.message()).startsWith("is not valid JSON (line 1, column 15): ");
            });
        }

        @Test
        void somethingOtherThanAnObjectIsRefused() {
            assertThat(violations(Issue.class, "[1, 2]")).containsExactly(
                    new Violation("$", "is a JSON array; expected a JSON object describing an Issue"));
        }

        @Test
        void aKindThatNamesAnotherKindIsRefused() {
            assertThat(violations(Issue.class, "/kind", "Run")).containsExactly(new Violation("$.kind",
                    "is 'Run' but an Issue is expected here; send it where Run objects go, or set kind to 'Issue'"));
        }

        @Test
        void anUnknownFieldIsNamedWithTheKnownOnes() {
            assertThat(violations(Repo.class, "/nmae", "Payments")).singleElement().satisfies(v -> {
                assertThat(v.path()).isEqualTo("$.nmae");
                assertThat(v.message()).startsWith("is not a field of Repo; check the spelling, known fields are ")
                        .contains("name", "default_branch");
            });
        }

        @Test
        void anUnknownEnumValueListsTheAcceptedOnes() {
            assertThat(violations(Issue.class, "/priority", "urgent")).containsExactly(
                    new Violation("$.priority", "'urgent' is not a valid Priority; use one of P0, P1, P2, P3, P4"));
        }

        @Test
        void aTimestampWithANonUtcOffsetIsRefusedWithItsUtcForm() {
            assertThat(violations(Issue.class, "/created_at", "2026-01-25T12:15:30.123+02:00")).containsExactly(
                    new Violation("$.created_at", "'2026-01-25T12:15:30.123+02:00' has the offset +02:00; CWOM "
                            + "timestamps are in UTC: write 2026-01-25T10:15:30.123Z"));
        }

        @Test
        void aValueOfTheWrongJsonTypeSaysWhatIsExpected() {
            assertThat(violations(Issue.class, "/acceptance/criteria", "all good")).containsExactly(
                    new Violation("$.acceptance.criteria", "has the wrong JSON type; expected a JSON array"));
        }

        @Test
        void aMapperFailureElsewhereTurnsIntoTheSameViolation() {
            assertThatThrownBy(() -> CwomJson.mapper().readValue(with(Run.class, "/mode", "robot"), Run.class))
                    .isInstanceOfSatisfying(JacksonException.class, e -> assertThat(CwomValidator.violationOf(e))
                            .isEqualTo(new Violation("$.mode",
                                    "'robot' is not a valid RunMode; use one of human, agent, hybrid, system")));
        }

        @Test
        void aNulCharacterInAnyStringOrKeyIsRefusedWhereItIs() {
            assertThat(violations(Issue.class, "/title", "Add\u0000login")).containsExactly(new Violation("$.title",
                    "contains the NUL character U+0000, which cannot be stored; remove it"));
            assertThat(violations(Issue.class, "/meta/note", java.util.List.of("ok", "b\u0000d")))
                    .extracting(Violation::path).containsExactly("$.meta.note[1]");
            assertThat(violations(Issue.class, "/meta/k\u0000ey", "v")).singleElement()
                    .satisfies(v -> assertThat(v.message()).contains("key containing the NUL character"));
            assertThat(VALIDATOR.validateBody(new Note("a\u0000b"))).extracting(Violation::path)
                    .containsExactly("$.text");
        }

        @Test
        void aNumberBeyondTheRangeOfDoublesIsRefusedNotReadAsInfinity() {
            String huge = with(Issue.class, "/meta/x", new java.math.BigDecimal("1e400"));

            assertThat(violations(Issue.class, huge)).singleElement().satisfies(v -> {
                assertThat(v.path()).isEqualTo("$.meta.x");
                assertThat(v.message()).contains("beyond the range of JSON numbers");
            });
            assertThat(violations(Run.class, "/telemetry/duration_s", new java.math.BigDecimal("-2e308")))
                    .extracting(Violation::path).contains("$.telemetry.duration_s");
        }

        record Note(String text) {
        }

        @Test
        void bytesAreReadAsUtf8() {
            Repo repo = VALIDATOR.read(with(Repo.class, "/name", "Zahlungsverkehr äöü").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), Repo.class);

            assertThat(repo.name()).isEqualTo("Zahlungsverkehr äöü");
        }
    }

    @Nested
    class Ids {

        @Test
        void anIdMustBeAUlid() {
            assertThat(violations(Repo.class, "/id", "repo-1")).containsExactly(new Violation("$.id",
                    "'repo-1' is not valid: must be a ULID: 26 characters of Crockford base32 (0-9, A-Z without I, "
                            + "L, O, U), e.g. 01JJ8Z5K4T3W6X7Y8Z9ABCDEFG"));
        }

        @Test
        void aReferenceNeedsAUlidToo() {
            assertThat(violations(Issue.class, "/doctrine_refs/0/id", null)).containsExactly(
                    new Violation("$.doctrine_refs[0].id", "is missing; this field is required"));
            assertThat(violations(Issue.class, "/runs/0/id", "01jj8z5k4t3w6x7y8z9abcde06")).extracting(Violation::path)
                    .containsExactly("$.runs[0].id");
        }
    }

    @Nested
    class RepoRules {

        @Test
        void slugMustBeLowerCaseAndNameIsRequired() {
            assertThat(violations(Repo.class, "/slug", "Acme Payments")).containsExactly(new Violation("$.slug",
                    "'Acme Payments' is not valid: must be lower-case letters, digits, '.', '_', '-' or '/', "
                            + "starting with a letter or digit, e.g. 'acme/payments'"));
            assertThat(violations(Repo.class, "/name", null)).containsExactly(
                    new Violation("$.name", "is missing; this field is required"));
        }

        @Test
        void ownersAreValidatedWithTheirIndex() {
            assertThat(violations(Repo.class, "/owners/0/actor_id", " ")).containsExactly(
                    new Violation("$.owners[0].actor_id", "is blank; write some text here"));
            assertThat(violations(Repo.class, "/visibility", "secret")).containsExactly(new Violation("$.visibility",
                    "'secret' is not a valid Visibility; use one of public, private, internal"));
        }
    }

    @Nested
    class IssueRules {

        @Test
        void referencesMustPointAtTheKindTheFieldNames() {
            assertThat(violations(Issue.class, "/repo/kind", "Issue")).containsExactly(new Violation("$.repo.kind",
                    "is 'Issue' but this field refers to a Repo; set kind to 'Repo'"));
            assertThat(violations(Issue.class, "/constraints/kind", "ContextPacket")).extracting(Violation::path)
                    .containsExactly("$.constraints.kind");
            assertThat(violations(Issue.class, "/context_packets/0/kind", "Run")).containsExactly(new Violation(
                    "$.context_packets[0].kind",
                    "is 'Run' but this field refers to a ContextPacket; set kind to 'ContextPacket'"));
            assertThat(violations(Issue.class, "/relationships/blocked_by/0/kind", "Repo")).extracting(Violation::path)
                    .containsExactly("$.relationships.blocked_by[0].kind");
            assertThat(violations(Issue.class, "/runs/0/kind", "Artifact")).extracting(Violation::path)
                    .containsExactly("$.runs[0].kind");
        }

        @Test
        void titleAndTypeAreRequiredAndBounded() {
            assertThat(violations(Issue.class, "/title", "x".repeat(501))).containsExactly(
                    new Violation("$.title", "has 501 characters; at most 500 are allowed"));
            assertThat(violations(Issue.class, "/type", null)).containsExactly(
                    new Violation("$.type", "is missing; this field is required"));
        }

        @Test
        void acceptanceCriteriaAreNotBlank() {
            assertThat(violations(Issue.class, "/acceptance/criteria/0", "")).containsExactly(
                    new Violation("$.acceptance.criteria[0]", "is blank; write some text here"));
        }

        @Test
        void updatedAtIsNotBeforeCreatedAt() {
            assertThat(violations(Issue.class, "/updated_at", "2026-01-25T10:00:00Z")).containsExactly(new Violation(
                    "$.updated_at", "is 2026-01-25T10:00:00Z, before created_at 2026-01-25T10:15:30.123Z; an object "
                            + "cannot be updated before it was created"));
        }
    }

    @Nested
    class ContextPacketRules {

        @Test
        void namesItsIssueAndAVersion() {
            assertThat(violations(ContextPacket.class, "/for_issue", null)).containsExactly(
                    new Violation("$.for_issue", "is missing; this field is required"));
            assertThat(violations(ContextPacket.class, "/for_issue/kind", "Repo")).containsExactly(new Violation(
                    "$.for_issue.kind", "is 'Repo' but this field refers to an Issue; set kind to 'Issue'"));
            assertThat(violations(ContextPacket.class, "/version", "")).containsExactly(
                    new Violation("$.version", "is blank; write some text here"));
            assertThat(violations(ContextPacket.class, "/version", null)).containsExactly(
                    new Violation("$.version", "is missing; this field is required"));
        }

        @Test
        void documentDigestsAreSha256() {
            assertThat(violations(ContextPacket.class, "/inputs/documents/0/digest", "sha256:ABC")).containsExactly(
                    new Violation("$.inputs.documents[0].digest",
                            "'sha256:ABC' is not valid: must be 'sha256:' followed by 64 lower-case hex digits"));
            assertThat(violations(ContextPacket.class, "/inputs/data_blobs/0/name", "")).containsExactly(
                    new Violation("$.inputs.data_blobs[0].name", "is blank; write some text here"));
        }
    }

    @Nested
    class ConstraintSnapshotRules {

        @Test
        void energyIsOnAZeroToFiveScale() {
            assertThat(violations(ConstraintSnapshot.class, "/constraints/energy/score_0_5", 6)).containsExactly(
                    new Violation("$.constraints.energy.score_0_5", "is 6; must be at most 5"));
            assertThat(violations(ConstraintSnapshot.class, "/constraints/energy/score_0_5", -1)).containsExactly(
                    new Violation("$.constraints.energy.score_0_5", "is -1; must be at least 0"));
        }

        @Test
        void availableTimeAndBudgetArePositive() {
            assertThat(violations(ConstraintSnapshot.class, "/constraints/time/available_minutes", 0)).containsExactly(
                    new Violation("$.constraints.time.available_minutes", "is 0.0; must be greater than 0"));
            assertThat(violations(ConstraintSnapshot.class, "/constraints/budget/usd_available", -1.5))
                    .containsExactly(new Violation("$.constraints.budget.usd_available", "is -1.5; must be at least 0"));
        }

        @Test
        void scopeIsRequiredAndConnectivityIsASpecValue() {
            assertThat(violations(ConstraintSnapshot.class, "/scope", null)).containsExactly(
                    new Violation("$.scope", "is missing; this field is required"));
            assertThat(violations(ConstraintSnapshot.class, "/constraints/environment/connectivity", "wifi"))
                    .containsExactly(new Violation("$.constraints.environment.connectivity",
                            "'wifi' is not a valid Connectivity; use one of offline, limited, ok"));
        }
    }

    @Nested
    class DoctrineRefRules {

        @Test
        void statementAndTypeAreRequired() {
            assertThat(violations(DoctrineRef.class, "/statement", "")).containsExactly(
                    new Violation("$.statement", "is blank; write some text here"));
            assertThat(violations(DoctrineRef.class, "/type", null)).containsExactly(
                    new Violation("$.type", "is missing; this field is required"));
        }

        @Test
        void applicabilityNamesReposAndSpecIssueTypes() {
            assertThat(violations(DoctrineRef.class, "/applicability/repo_refs/0/kind", "Issue")).containsExactly(
                    new Violation("$.applicability.repo_refs[0].kind",
                            "is 'Issue' but this field refers to a Repo; set kind to 'Repo'"));
            assertThat(violations(DoctrineRef.class, "/applicability/issue_types/1", "epic")).containsExactly(
                    new Violation("$.applicability.issue_types[1]", "'epic' is not a valid IssueType; use one of "
                            + "feature, bug, chore, research, ops, doc, incident"));
        }
    }

    @Nested
    class RunRules {

        @Test
        void aFailedRunCarriesAFailureAndNoOtherRunDoes() {
            assertThat(violations(Run.class, "/failure", null)).containsExactly(new Violation("$.failure",
                    "is missing although status is 'failed'; say why with failure {category, message}"));
            assertThat(violations(Run.class, "/status", "done")).containsExactly(new Violation("$.failure",
                    "is given although status is 'done'; only a failed Run has a failure: remove it or set status "
                            + "to 'failed'"));
            assertThat(violations(Run.class, "/failure/message", "")).containsExactly(
                    new Violation("$.failure.message", "is blank; write some text here"));
        }

        @Test
        void endedAtIsNotBeforeStartedAt() {
            assertThat(violations(Run.class, "/telemetry/ended_at", "2026-01-25T10:29:59.000Z")).contains(
                    new Violation("$.telemetry.ended_at", "is 2026-01-25T10:29:59Z, before started_at "
                            + "2026-01-25T10:30:00Z; a Run cannot end before it starts"));
        }

        @Test
        void aRunThatEndedMustHaveStarted() {
            ObjectNode tree = CwomExamples.tree(Run.class);
            with(tree, "/telemetry/started_at", null);
            with(tree, "/telemetry/duration_s", null);

            assertThat(violations(Run.class, tree.toString())).containsExactly(new Violation("$.telemetry.started_at",
                    "is missing although ended_at is given; a Run that ended must have started"));
        }

        @Test
        void durationAgreesWithStartAndEndToTheMillisecond() {
            assertThat(violations(Run.class, "/telemetry/duration_s", 90.2509)).isEmpty();
            assertThat(violations(Run.class, "/telemetry/duration_s", 91)).containsExactly(new Violation(
                    "$.telemetry.duration_s", "is 91.0 but ended_at - started_at is 90.25 s; they must agree to the "
                            + "millisecond"));
        }

        @Test
        void pinnedInputsAndOutputsReferToTheirKinds() {
            assertThat(violations(Run.class, "/inputs/constraint_snapshot/kind", "ContextPacket")).containsExactly(
                    new Violation("$.inputs.constraint_snapshot.kind", "is 'ContextPacket' but this field refers to a "
                            + "ConstraintSnapshot; set kind to 'ConstraintSnapshot'"));
            assertThat(violations(Run.class, "/inputs/doctrine_refs/0/kind", "Doctrine")).extracting(Violation::path)
                    .containsExactly("$.inputs.doctrine_refs[0].kind");
            assertThat(violations(Run.class, "/outputs/artifacts/0/kind", "Run")).extracting(Violation::path)
                    .containsExactly("$.outputs.artifacts[0].kind");
            assertThat(violations(Run.class, "/for_issue/kind", "Run")).extracting(Violation::path)
                    .containsExactly("$.for_issue.kind");
            assertThat(violations(Run.class, "/inputs/context_packets/0/digest", "sha256:0")).containsExactly(
                    new Violation("$.inputs.context_packets[0].digest",
                            "'sha256:0' is not valid: must be 'sha256:' followed by 64 lower-case hex digits"));
        }

        @Test
        void modeIsRequiredAndCostsAreNotNegative() {
            assertThat(violations(Run.class, "/mode", null)).containsExactly(
                    new Violation("$.mode", "is missing; this field is required"));
            assertThat(violations(Run.class, "/cost/usd", -0.01)).containsExactly(
                    new Violation("$.cost.usd", "is -0.01; must be at least 0"));
        }
    }

    @Nested
    class ArtifactRules {

        @Test
        void sizeIsNotNegativeAndDigestIsSha256() {
            assertThat(violations(Artifact.class, "/size_bytes", -1)).containsExactly(
                    new Violation("$.size_bytes", "is -1; must be at least 0"));
            assertThat(violations(Artifact.class, "/digest", "md5:d41d8cd98f00b204e9800998ecf8427e")).containsExactly(
                    new Violation("$.digest", "'md5:d41d8cd98f00b204e9800998ecf8427e' is not valid: must be "
                            + "'sha256:' followed by 64 lower-case hex digits"));
        }

        @Test
        void producedByARunForAnIssue() {
            assertThat(violations(Artifact.class, "/produced_by/kind", "Issue")).containsExactly(new Violation(
                    "$.produced_by.kind", "is 'Issue' but this field refers to a Run; set kind to 'Run'"));
            assertThat(violations(Artifact.class, "/for_issue/kind", "Run")).extracting(Violation::path)
                    .containsExactly("$.for_issue.kind");
        }

        @Test
        void typeAndTitleAreRequiredAndChecksHaveAStatus() {
            assertThat(violations(Artifact.class, "/type", "zip")).containsExactly(new Violation("$.type",
                    "'zip' is not a valid ArtifactType; use one of code_patch, commit, pr, build, container_image, "
                            + "doc, report, dataset, log, trace, binary, link"));
            assertThat(violations(Artifact.class, "/title", null)).containsExactly(
                    new Violation("$.title", "is missing; this field is required"));
            assertThat(violations(Artifact.class, "/verification/checks/0/status", null)).containsExactly(
                    new Violation("$.verification.checks[0].status", "is missing; this field is required"));
        }
    }
}
