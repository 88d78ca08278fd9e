package dev.cwom.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** A versioned briefing for an Issue: what we know, assumptions, instructions. Immutable: a new version is a new object. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ContextPacket(
        @Ulid @Nullable String id,
        String kind,
        @NotNull @Valid @RefTo(Issue.class) Ref forIssue,
        @NotBlank @Size(max = 50) String version,
        @Size(max = 20000) @Nullable String summary,
        @Valid Inputs inputs,
        List<String> assumptions,
        List<String> openQuestions,
        @Size(max = 100000) @Nullable String instructions,
        List<@Valid @RefTo(DoctrineRef.class) Ref> doctrineRefs,
        @Valid @RefTo(ConstraintSnapshot.class) @Nullable Ref constraintSnapshot,
        List<String> tags,
        Map<String, Object> meta,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) implements CwomObject {

    public static final String KIND = "ContextPacket";

    public ContextPacket {
        kind = KIND;
        createdAt = Defaults.instant(createdAt);
        updatedAt = Defaults.instant(updatedAt);
        inputs = Defaults.or(inputs, new Inputs(null, null, null));
        assumptions = Defaults.list(assumptions);
        openQuestions = Defaults.list(openQuestions);
        doctrineRefs = Defaults.list(doctrineRefs);
        tags = Defaults.list(tags);
        meta = Defaults.meta(meta);
    }

    /** What the briefing brings along. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Inputs(List<@Valid Document> documents, List<@Valid DataBlob> dataBlobs, List<String> links) {
        public Inputs {
            documents = Defaults.list(documents);
            dataBlobs = Defaults.list(dataBlobs);
            links = Defaults.list(links);
        }
    }

    /** A document the briefing refers to, with an optional excerpt. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Document(@NotBlank String title, @Nullable String uri, @Sha256Digest @Nullable String digest,
            @Nullable String excerpt) {
    }

    /** A piece of data, by URI or inline. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DataBlob(@NotBlank String name, @Nullable String mediaType, @Nullable String uri,
            @Nullable String inline, @Sha256Digest @Nullable String digest) {
    }

    @Override
    public ContextPacket withIdentity(String id, Instant createdAt, Instant updatedAt) {
        return new ContextPacket(id, kind, forIssue, version, summary, inputs, assumptions, openQuestions,
                instructions, doctrineRefs, constraintSnapshot, tags, meta, createdAt, updatedAt);
    }
}
