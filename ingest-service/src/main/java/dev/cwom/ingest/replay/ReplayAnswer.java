package dev.cwom.ingest.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import dev.cwom.model.Ref;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer to {@code POST /cwom/runs/{id}/replay}: the dispatched attempt and what it carries. The replay's Run gets
 * its id from the worker that picks the work order up; it shows {@code meta.replay_of} and {@code meta.attempt}.
 *
 * @param replayOf the replayed Run
 * @param inputs {@code original} or {@code current}
 * @param requestedBy who asked for the replay (travels as the work order's {@code requested_by})
 * @param policy the operator policy version the replay runs under (a DoctrineRef among {@code pinned})
 * @param pinned every input the work order carries, with version and digest, in its order
 * @param differs for {@code inputs=current}: each input whose digest is not the original's (or that only one of
 *     them has); absent for a replay on the original inputs, which differ in nothing
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayAnswer(String replayOf, String issueId, int attempt, String workOrderEventId, String inputs,
        String requestedBy, Ref policy, List<Ref> pinned, @Nullable List<Difference> differs) {

    /**
     * An input whose digest differs between the original and the replay.
     *
     * @param originalDigest null when the original had no such input
     * @param currentDigest null when the replay has no such input
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Difference(String kind, String id, @Nullable String originalDigest, @Nullable String currentDigest) {
    }
}
