package dev.cwom.ingest.issues;

import dev.cwom.ingest.runs.RunSummary;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code GET /cwom/issues/{id}}: the Issue with the objects it refers to — its context packets, its current
 * constraint snapshot, its doctrine refs — and a summary of each of its runs.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IssueDetail(Issue issue, List<ContextPacket> contextPackets,
        @Nullable ConstraintSnapshot constraintSnapshot, List<DoctrineRef> doctrineRefs, List<RunSummary> runs) {
}
