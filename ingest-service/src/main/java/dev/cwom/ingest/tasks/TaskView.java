package dev.cwom.ingest.tasks;

import dev.cwom.ingest.runs.RunSummary;
import dev.cwom.model.Artifact;
import dev.cwom.model.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The task view of an Issue created by the bridge, read back from CWOM: what was asked (the reverse mapping), where
 * it stands (the Issue's status), its latest run and that run's artifacts.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskView(
        String id,
        String cwomIssueId,
        Status status,
        String objective,
        @Nullable TaskOperation operation,
        Target target,
        Constraints constraints,
        Map<String, Object> inputs,
        @Nullable RequestedBy requestedBy,
        @Nullable String idempotencyKey,
        @Nullable String traceId,
        Instant createdAt,
        @Nullable RunSummary latestRun,
        List<Artifact> artifacts) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Target(String repo, @Nullable String ref, @Nullable String path) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Constraints(@Nullable Integer timeBudgetSeconds, boolean allowNetwork, boolean allowSecrets) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RequestedBy(String kind, String id, @Nullable String label) {
    }
}
