package dev.cwom.ingest.tasks;

import dev.cwom.model.Actor;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A task that passed the policy gate, normalised: repo slug lower-case without {@code .git}, ref and time budget
 * defaulted. Its JSON is what {@code tasks.payload} stores and what an idempotent retry is compared against.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Task(String objective, TaskOperation operation, String repo, String ref, @Nullable String path,
        int timeBudgetSeconds, boolean allowNetwork, boolean allowSecrets, Map<String, Object> inputs,
        Actor requestedBy) {
}
