package dev.cwom.ingest.runs;

import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.QueryParams;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import dev.cwom.service.tracing.TraceHeaders;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/cwom/runs")
class RunController {

    private final RunService runs;
    private final RunEventPublisher publisher;
    private final RequestValidator validator;
    private final TraceHeaders traces;

    RunController(RunService runs, RunEventPublisher publisher, RequestValidator validator, TraceHeaders traces) {
        this.runs = runs;
        this.publisher = publisher;
        this.validator = validator;
        this.traces = traces;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Run> reportRun(@RequestBody Run run,
            @RequestParam(required = false) @Nullable Integer wait) {
        validator.validate(run);
        Duration waitFor = RunEventPublisher.waitParameter(wait);
        Created<Run> reported = publisher.runReported(run, traces.currentTraceId());
        String id = java.util.Objects.requireNonNull(reported.object().id());
        if (!reported.created()) {
            return ResponseEntity.ok().location(URI.create("/cwom/runs/" + id)).body(reported.object());
        }
        return answer(reported.object(), id, !waitFor.isZero() && publisher.awaitRunStored(id, null, waitFor));
    }

    /** 201 once the sink stored it, else 202; both with the Location to poll. */
    private static ResponseEntity<Run> answer(Run run, String id, boolean stored) {
        return ResponseEntity.status(stored ? HttpStatus.CREATED : HttpStatus.ACCEPTED)
                .location(URI.create("/cwom/runs/" + id)).body(run);
    }

    @GetMapping("/{id}")
    Run getRun(@PathVariable String id) {
        return runs.get(id);
    }

    @GetMapping
    Page<Run> listRuns(@RequestParam(name = "issue_id", required = false) @Nullable String issueId,
            @RequestParam(name = "repo_id", required = false) @Nullable String repoId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return runs.list(QueryParams.ulid("issue_id", issueId), QueryParams.ulid("repo_id", repoId),
                QueryParams.enumValue("status", status, Status.class), PageQuery.of(limit, cursor));
    }

    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Run> updateRun(@PathVariable String id, @RequestBody RunUpdate update,
            @RequestParam(required = false) @Nullable Integer wait) {
        validator.validate(update);
        Duration waitFor = RunEventPublisher.waitParameter(wait);
        validator.validateMerged(update.applyTo(runs.storedForUpdate(id)));
        Run accepted = publisher.runUpdated(id, update, traces.currentTraceId());
        return answer(accepted, id, !waitFor.isZero() && publisher.awaitRunStored(id, update.status(), waitFor));
    }
}
