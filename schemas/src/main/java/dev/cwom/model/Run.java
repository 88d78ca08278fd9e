package dev.cwom.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** One execution attempt of an Issue by a human, an agent, CI or a system, with the inputs it was pinned to. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Run(
        @Ulid @Nullable String id,
        String kind,
        @NotNull @Valid @RefTo(Issue.class) Ref forIssue,
        @NotNull @Valid @RefTo(Repo.class) Ref repo,
        Status status,
        @NotNull RunMode mode,
        @Valid @Nullable Executor executor,
        @Valid Inputs inputs,
        @Valid Plan plan,
        @Valid Telemetry telemetry,
        @Valid Cost cost,
        @Valid Outputs outputs,
        @Valid @Nullable Failure failure,
        List<String> tags,
        Map<String, Object> meta,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) implements CwomObject {

    public static final String KIND = "Run";

    public Run {
        kind = KIND;
        createdAt = Defaults.instant(createdAt);
        updatedAt = Defaults.instant(updatedAt);
        status = Defaults.or(status, Status.PLANNED);
        inputs = Defaults.or(inputs, new Inputs(null, null, null));
        plan = Defaults.or(plan, new Plan(null, null));
        telemetry = Defaults.or(telemetry, new Telemetry(null, null, null));
        cost = Defaults.or(cost, new Cost(null, null, null));
        outputs = Defaults.or(outputs, new Outputs(null, null, null));
        tags = Defaults.list(tags);
        meta = Defaults.meta(meta);
    }

    /** Who or what executes, on which runtime and toolchain. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Executor(@Valid @Nullable Actor actor, @Nullable String runtime, List<String> toolchain) {
        public Executor {
            toolchain = Defaults.list(toolchain);
        }
    }

    /** The pinned inputs: each Ref carries the version and digest of the content the Run started with. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Inputs(List<@Valid @RefTo(ContextPacket.class) Ref> contextPackets,
            List<@Valid @RefTo(DoctrineRef.class) Ref> doctrineRefs,
            @Valid @RefTo(ConstraintSnapshot.class) @Nullable Ref constraintSnapshot) {
        public Inputs {
            contextPackets = Defaults.list(contextPackets);
            doctrineRefs = Defaults.list(doctrineRefs);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Plan(List<String> steps, List<String> riskNotes) {
        public Plan {
            steps = Defaults.list(steps);
            riskNotes = Defaults.list(riskNotes);
        }
    }

    /** When the Run started and ended; {@code duration_s} agrees with the two. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Telemetry(@Nullable Instant startedAt, @Nullable Instant endedAt,
            @DecimalMin("0") @Nullable Double durationS) {
        public Telemetry {
            startedAt = Defaults.instant(startedAt);
            endedAt = Defaults.instant(endedAt);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Cost(@DecimalMin("0") @Nullable Double usd, @Min(0) @Nullable Long tokens,
            @DecimalMin("0") @Nullable Double computeS) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Outputs(List<@Valid @RefTo(Artifact.class) Ref> artifacts, @Nullable String resultSummary, List<String> decisionLog) {
        public Outputs {
            artifacts = Defaults.list(artifacts);
            decisionLog = Defaults.list(decisionLog);
        }
    }

    /** Why a Run failed; present exactly when the Run's status is {@code failed}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Failure(@NotNull FailureCategory category, @NotBlank String message) {
    }

    @Override
    public Run withIdentity(String id, Instant createdAt, Instant updatedAt) {
        return new Run(id, kind, forIssue, repo, status, mode, executor, inputs, plan, telemetry, cost, outputs,
                failure, tags, meta, createdAt, updatedAt);
    }
}
