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
}
