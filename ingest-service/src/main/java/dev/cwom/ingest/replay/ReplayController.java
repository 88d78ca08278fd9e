package dev.cwom.ingest.replay;

import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.service.tracing.TraceHeaders;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code POST /cwom/runs/{id}/replay[?inputs=current]}, body optional: {@code {"idempotency_key": "..."}}. 202 with
 * the dispatched attempt (Location: the Issue, whose runs will show the replay), 200 for a repeat under the same key.
 */
@RestController
class ReplayController {

    private final RunReplays replays;
    private final TraceHeaders traces;

    ReplayController(RunReplays replays, TraceHeaders traces) {
        this.replays = replays;
        this.traces = traces;
    }

    /** The optional body. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ReplayRequest(@Nullable String idempotencyKey) {
    }

    @PostMapping("/cwom/runs/{id}/replay")
    ResponseEntity<ReplayAnswer> replay(@PathVariable String id,
            @RequestParam(required = false) @Nullable String inputs,
            @RequestBody(required = false) @Nullable ReplayRequest body) {
        String choice = inputs == null ? RunReplays.ORIGINAL : inputs;
        if (!RunReplays.ORIGINAL.equals(choice) && !RunReplays.CURRENT.equals(choice)) {
            throw ApiProblem.invalid("query.inputs", "'" + inputs + "' is not one of " + RunReplays.ORIGINAL + ", "
                    + RunReplays.CURRENT + " (default " + RunReplays.ORIGINAL + ": the inputs the Run's work order "
                    + "carried)");
        }
        RunReplays.Started started = replays.replay(id, choice, body == null ? null : body.idempotencyKey(),
                traces.currentTraceId());
        return ResponseEntity.status(started.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/cwom/issues/" + started.answer().issueId())).body(started.answer());
    }
}
