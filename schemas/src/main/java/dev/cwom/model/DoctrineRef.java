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

/** A governing rule: how we decide, how we work. (namespace, name, version) is unique. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DoctrineRef(
        @Ulid @Nullable String id,
        String kind,
        @NotBlank @Size(max = 200) String namespace,
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 50) String version,
        @NotNull DoctrineType type,
        DoctrinePriority priority,
        @NotBlank @Size(max = 20000) String statement,
        @Size(max = 20000) @Nullable String rationale,
        List<String> links,
        @Valid Applicability applicability,
        List<String> tags,
        Map<String, Object> meta,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) implements CwomObject {

    public static final String KIND = "DoctrineRef";

    public DoctrineRef {
        kind = KIND;
        createdAt = Defaults.instant(createdAt);
        updatedAt = Defaults.instant(updatedAt);
        priority = Defaults.or(priority, DoctrinePriority.SHOULD);
        links = Defaults.list(links);
        applicability = Defaults.or(applicability, new Applicability(null, null, null));
        tags = Defaults.list(tags);
        meta = Defaults.meta(meta);
    }

    /** Where the rule applies; empty lists mean everywhere. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Applicability(List<@Valid @RefTo(Repo.class) Ref> repoRefs, List<IssueType> issueTypes, List<String> tags) {
        public Applicability {
            repoRefs = Defaults.list(repoRefs);
            issueTypes = Defaults.list(issueTypes);
            tags = Defaults.list(tags);
        }
    }

    @Override
    public DoctrineRef withIdentity(String id, Instant createdAt, Instant updatedAt) {
        return new DoctrineRef(id, kind, namespace, name, version, type, priority, statement, rationale, links,
                applicability, tags, meta, createdAt, updatedAt);
    }
}
