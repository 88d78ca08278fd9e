package dev.cwom.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A typed reference to another CWOM object.
 *
 * <p>{@code version} and {@code digest} are optional; a Run's pinned inputs carry both, so that the Run records
 * exactly which ContextPacket, ConstraintSnapshot and DoctrineRef content it ran with.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Ref(
        @NotBlank String kind,
        @NotNull @Ulid String id,
        @Nullable String role,
        @Nullable String version,
        @Sha256Digest @Nullable String digest) {

    /** A plain reference to an object of {@code kind}. */
    public static Ref to(String kind, String id) {
        return new Ref(kind, id, null, null, null);
    }

    /** A reference that pins the exact content it points at. */
    public static Ref pinned(String kind, String id, @Nullable String version, String digest) {
        return new Ref(kind, id, null, version, digest);
    }
}
