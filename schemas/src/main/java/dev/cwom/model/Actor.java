package dev.cwom.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** Someone or something that acts: a person, an agent or a system. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Actor(@NotNull ActorKind actorKind, @NotBlank String actorId, @Nullable String display) {
}
