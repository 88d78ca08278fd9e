package dev.cwom.ingest.issues;

import dev.cwom.model.Status;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PATCH /cwom/issues/{id}/status}: {@code {"status": "canceled", "reason": "duplicate of ..."}}.
 *
 * @param status the status to move to
 * @param reason why; optional, and only kept when the Issue becomes canceled (it travels in {@code IssueCanceled})
 */
public record StatusChange(@NotNull @Nullable Status status, @Size(max = 2000) @Nullable String reason) {
}
