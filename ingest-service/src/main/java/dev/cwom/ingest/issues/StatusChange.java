package dev.cwom.ingest.issues;

import dev.cwom.model.Status;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/** The body of {@code PATCH /cwom/issues/{id}/status}: {@code {"status": "ready"}}. */
public record StatusChange(@NotNull @Nullable Status status) {
}
