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

/** A unit of intent: what we want done. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Issue(
        @Ulid @Nullable String id,
        String kind,
        @NotNull @Valid @RefTo(Repo.class) Ref repo,
        @NotBlank @Size(max = 500) String title,
        @Size(max = 20000) @Nullable String description,
        @NotNull IssueType type,
        Priority priority,
        Status status,
        List<@Valid Actor> assignees,
        List<@Valid Actor> watchers,
        List<@Valid @RefTo(DoctrineRef.class) Ref> doctrineRefs,
        @Valid @RefTo(ConstraintSnapshot.class) @Nullable Ref constraints,
        List<@Valid @RefTo(ContextPacket.class) Ref> contextPackets,
        @Valid Acceptance acceptance,
        @Valid Relationships relationships,
        List<@Valid @RefTo(Run.class) Ref> runs,
        List<String> tags,
        Map<String, Object> meta,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) implements CwomObject {

    public static final String KIND = "Issue";

    public Issue {
        kind = KIND;
        createdAt = Defaults.instant(createdAt);
        updatedAt = Defaults.instant(updatedAt);
        priority = Defaults.or(priority, Priority.P2);
        status = Defaults.or(status, Status.PLANNED);
        assignees = Defaults.list(assignees);
        watchers = Defaults.list(watchers);
        doctrineRefs = Defaults.list(doctrineRefs);
        contextPackets = Defaults.list(contextPackets);
        acceptance = Defaults.or(acceptance, new Acceptance(null, null));
        relationships = Defaults.or(relationships, new Relationships(null, null, null, null));
        runs = Defaults.list(runs);
        tags = Defaults.list(tags);
        meta = Defaults.meta(meta);
    }

    /** How we know the intent is met. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Acceptance(List<@NotBlank String> criteria, List<@NotBlank String> testsExpected) {
        public Acceptance {
            criteria = Defaults.list(criteria);
            testsExpected = Defaults.list(testsExpected);
        }
    }

    /** How this Issue relates to other Issues. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Relationships(@Valid @RefTo(Issue.class) @Nullable Ref parent,
            List<@Valid @RefTo(Issue.class) Ref> blocks, List<@Valid @RefTo(Issue.class) Ref> blockedBy,
            List<@Valid @RefTo(Issue.class) Ref> duplicates) {
        public Relationships {
            blocks = Defaults.list(blocks);
            blockedBy = Defaults.list(blockedBy);
            duplicates = Defaults.list(duplicates);
        }
    }

    @Override
    public Issue withIdentity(String id, Instant createdAt, Instant updatedAt) {
        return new Issue(id, kind, repo, title, description, type, priority, status, assignees, watchers, doctrineRefs,
                constraints, contextPackets, acceptance, relationships, runs, tags, meta, createdAt, updatedAt);
    }

    /** A copy in another status, touched at {@code at}. */
    public Issue withStatus(Status newStatus, Instant at) {
        return new Issue(id, kind, repo, title, description, type, priority, newStatus, assignees, watchers,
                doctrineRefs, constraints, contextPackets, acceptance, relationships, runs, tags, meta, createdAt, at);
    }

    /** A copy with other related objects (as stored in join tables), e.g. when reading an Issue back. */
    public Issue withRelated(List<Ref> newContextPackets, List<Ref> newDoctrineRefs, @Nullable Ref newConstraints,
            List<Ref> newRuns) {
        return new Issue(id, kind, repo, title, description, type, priority, status, assignees, watchers,
                newDoctrineRefs, newConstraints, newContextPackets, acceptance, relationships, newRuns, tags, meta,
                createdAt, updatedAt);
    }
}
