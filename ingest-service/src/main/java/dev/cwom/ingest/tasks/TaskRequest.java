package dev.cwom.ingest.tasks;

import dev.cwom.model.ActorKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The body of {@code POST /tasks/enqueue}. Objective, operation and the constraints are checked by the policy gate
 * ({@link TaskPolicy}), which answers with stable codes; the rest by Bean Validation.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskRequest(
        @Nullable String objective,
        @Nullable String operation,
        @NotNull @Valid @Nullable Target target,
        @Valid @Nullable Constraints constraints,
        @Nullable Map<String, Object> inputs,
        @NotNull @Valid @Nullable RequestedBy requestedBy,
        @Size(min = 1, max = 200) @Nullable String idempotencyKey) {

    /** Where the work happens: a repo (slug or URL-like name), a git ref and a path inside it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Target(@NotBlank @Size(max = 250) @Nullable String repo, @Size(max = 250) @Nullable String ref,
            @Size(max = 1000) @Nullable String path) {
    }

    /** What the task may use; absent values take the configured defaults. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Constraints(@Nullable Integer timeBudgetSeconds, @Nullable Boolean allowNetwork,
            @Nullable Boolean allowSecrets) {
    }

    /** Who asks: {@code kind} is an ActorKind value (human, agent, system). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RequestedBy(@NotNull @Nullable ActorKind kind, @NotBlank @Size(max = 200) @Nullable String id,
            @Size(max = 200) @Nullable String label) {
    }
}
