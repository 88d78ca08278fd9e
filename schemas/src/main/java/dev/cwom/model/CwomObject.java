package dev.cwom.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What every one of the seven CWOM kinds has. */
public sealed interface CwomObject permits Repo, Issue, ContextPacket, ConstraintSnapshot, DoctrineRef, Run, Artifact {

    /** The object's ULID; absent until the server assigns one. */
    @Nullable String id();

    /** The object's type name, e.g. {@code "Issue"}. */
    String kind();

    @Nullable Instant createdAt();

    @Nullable Instant updatedAt();

    List<String> tags();

    Map<String, Object> meta();

    /** A copy with the given identity and timestamps; everything else unchanged. */
    CwomObject withIdentity(String id, Instant createdAt, Instant updatedAt);
}
