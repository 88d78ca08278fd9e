package dev.cwom.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** An output of a Run, with its verification. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Artifact(
        @Ulid @Nullable String id,
        String kind,
        @NotNull @Valid @RefTo(Run.class) Ref producedBy,
        @NotNull @Valid @RefTo(Issue.class) Ref forIssue,
        @NotNull ArtifactType type,
        @NotBlank @Size(max = 500) String title,
        @NotBlank @Size(max = 4000) String uri,
        @Sha256Digest @Nullable String digest,
        @Nullable String mediaType,
        @Min(0) @Nullable Long sizeBytes,
        @Size(max = 4000) @Nullable String preview,
        @Valid Verification verification,
        List<String> tags,
        Map<String, Object> meta,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) implements CwomObject {

    public static final String KIND = "Artifact";

    public Artifact {
        kind = KIND;
        createdAt = Defaults.instant(createdAt);
        updatedAt = Defaults.instant(updatedAt);
        verification = Defaults.or(verification, new Verification(null, null));
        tags = Defaults.list(tags);
        meta = Defaults.meta(meta);
    }

    /** The overall outcome and the individual checks behind it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Verification(VerificationStatus status, List<@Valid Check> checks) {
        public Verification {
            status = Defaults.or(status, VerificationStatus.UNVERIFIED);
            checks = Defaults.list(checks);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Check(@NotBlank String name, @NotNull VerificationStatus status, @Nullable String evidenceUri) {
    }

    @Override
    public Artifact withIdentity(String id, Instant createdAt, Instant updatedAt) {
        return new Artifact(id, kind, producedBy, forIssue, type, title, uri, digest, mediaType, sizeBytes, preview,
                verification, tags, meta, createdAt, updatedAt);
    }
}
