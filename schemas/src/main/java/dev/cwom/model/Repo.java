package dev.cwom.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** A work container: a codebase, a docs base, a project boundary. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Repo(
        @Ulid @Nullable String id,
        String kind,
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 200)
        @Pattern(regexp = "[a-z0-9][a-z0-9._/-]*", message = "must be lower-case letters, digits, '.', '_', '-' or '/', starting with a letter or digit, e.g. 'acme/payments'")
        String slug,
        @Valid @Nullable Source source,
        String defaultBranch,
        Visibility visibility,
        List<@Valid Actor> owners,
        @Valid Policy policy,
        List<String> links,
        List<String> tags,
        Map<String, Object> meta,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) implements CwomObject {

    public static final String KIND = "Repo";

    public Repo {
        kind = KIND;
        createdAt = Defaults.instant(createdAt);
        updatedAt = Defaults.instant(updatedAt);
        defaultBranch = Defaults.or(defaultBranch, "main");
        visibility = Defaults.or(visibility, Visibility.PRIVATE);
        owners = Defaults.list(owners);
        policy = Defaults.or(policy, new Policy(null, null));
        links = Defaults.list(links);
        tags = Defaults.list(tags);
        meta = Defaults.meta(meta);
    }

    /** What may run against this repo. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Policy(List<String> allowedTools, @Nullable String secretsProfile) {
        public Policy {
            allowedTools = Defaults.list(allowedTools);
        }
    }

    @Override
    public Repo withIdentity(String id, Instant createdAt, Instant updatedAt) {
        return new Repo(id, kind, name, slug, source, defaultBranch, visibility, owners, policy, links, tags, meta,
                createdAt, updatedAt);
    }
}
