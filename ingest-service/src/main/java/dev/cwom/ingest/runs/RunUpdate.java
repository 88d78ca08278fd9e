package dev.cwom.ingest.runs;

import dev.cwom.model.Run;
import dev.cwom.model.Status;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The body of {@code PATCH /cwom/runs/{id}}: a new status and/or outputs of a Run someone reports themselves. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunUpdate(@Nullable Status status, Run.@Valid @Nullable Outputs outputs,
        Run.@Valid @Nullable Failure failure, Run.@Valid @Nullable Telemetry telemetry, Run.@Valid @Nullable Cost cost) {

    /**
     * The Run as it is after this update: status and failure as given (a failure belongs to this status only),
     * outputs and cost replaced when given, telemetry merged field by field (a start time the update leaves out stays
     * the stored one; a duration stays only when the update leaves telemetry out). This is what the published event
     * says and what the Run's cross-field rules are checked on.
     */
    public Run applyTo(Run stored) {
        Run.Telemetry was = stored.telemetry();
        Run.Telemetry telemetry = this.telemetry == null ? was : new Run.Telemetry(
                this.telemetry.startedAt() != null ? this.telemetry.startedAt() : was.startedAt(),
                this.telemetry.endedAt() != null ? this.telemetry.endedAt() : was.endedAt(),
                this.telemetry.durationS());
        return new Run(stored.id(), stored.kind(), stored.forIssue(), stored.repo(),
                status != null ? status : stored.status(), stored.mode(), stored.executor(), stored.inputs(),
                stored.plan(), telemetry, cost != null ? cost : stored.cost(),
                outputs != null ? outputs : stored.outputs(), failure, stored.tags(), stored.meta(),
                stored.createdAt(), stored.updatedAt());
    }
}
