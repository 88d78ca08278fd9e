package dev.cwom.ingest.lineage;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cwom.model.Artifact;
import dev.cwom.model.Run;
import org.jspecify.annotations.Nullable;

/**
 * One item of {@code GET /cwom/lineage?digest=}: a Run that pinned an input with the digest, or an Artifact whose
 * content has it; {@code kind} says which, and exactly one of {@code run} and {@code artifact} is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LineageItem(String kind, String id, @Nullable Run run, @Nullable Artifact artifact) {

    static LineageItem of(Run run) {
        return new LineageItem(Run.KIND, java.util.Objects.requireNonNull(run.id()), run, null);
    }

    static LineageItem of(Artifact artifact) {
        return new LineageItem(Artifact.KIND, java.util.Objects.requireNonNull(artifact.id()), null, artifact);
    }
}
