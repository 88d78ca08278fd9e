package dev.cwom.model;

import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** Where an object came from, for example an issue tracker. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Source(@NotBlank String system, @Nullable String externalId, @Nullable String url) {
}
