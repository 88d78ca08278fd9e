package dev.cwom.ingest.runs;

import dev.cwom.model.Run;
import dev.cwom.model.RunMode;
import dev.cwom.model.Status;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A Run in brief, as shown with its Issue or task. {@code mode} and the times are absent while only ingest knows the
 * Run (from its events, before the sink stored it).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunSummary(String id, Status status, @Nullable RunMode mode, @Nullable Instant startedAt,
        @Nullable Instant endedAt, @Nullable String resultSummary, Run.@Nullable Failure failure,
        @Nullable Instant createdAt, @Nullable Instant updatedAt) {

    public static RunSummary of(Run run) {
        return new RunSummary(java.util.Objects.requireNonNull(run.id()), run.status(), run.mode(),
                run.telemetry().startedAt(), run.telemetry().endedAt(), run.outputs().resultSummary(), run.failure(),
                run.createdAt(), run.updatedAt());
    }
}
