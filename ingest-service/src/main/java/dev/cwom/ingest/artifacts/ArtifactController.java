package dev.cwom.ingest.artifacts;

import dev.cwom.ingest.runs.RunEventPublisher;
import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.QueryParams;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.model.Artifact;
import dev.cwom.model.ArtifactType;
import dev.cwom.service.tracing.TraceHeaders;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ArtifactController {

    private final ArtifactService artifacts;
    private final RunEventPublisher publisher;
    private final RequestValidator validator;
    private final TraceHeaders traces;

    ArtifactController(ArtifactService artifacts, RunEventPublisher publisher, RequestValidator validator, TraceHeaders traces) {
        this.artifacts = artifacts;
        this.publisher = publisher;
        this.validator = validator;
        this.traces = traces;
    }

    @PostMapping(path = "/cwom/artifacts", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Artifact> reportArtifact(@RequestBody Artifact artifact,
            @RequestParam(required = false) @Nullable Integer wait) {
        validator.validate(artifact);
        java.time.Duration waitFor = RunEventPublisher.waitParameter(wait);
        Created<Artifact> reported = publisher.artifactReported(artifact, traces.currentTraceId());
        Artifact accepted = reported.object();
        String id = java.util.Objects.requireNonNull(accepted.id());
        if (!reported.created()) {
            return ResponseEntity.ok().location(java.net.URI.create("/cwom/artifacts/" + id)).body(accepted);
        }
        boolean stored = !waitFor.isZero() && publisher.awaitArtifactStored(id, waitFor);
        return ResponseEntity.status(stored ? HttpStatus.CREATED : HttpStatus.ACCEPTED)
                .location(java.net.URI.create("/cwom/artifacts/" + id)).body(accepted);
    }

    @GetMapping("/cwom/artifacts/{id}")
    Artifact getArtifact(@PathVariable String id) {
        return artifacts.get(id);
    }

    @GetMapping("/cwom/runs/{runId}/artifacts")
    Page<Artifact> listArtifactsOfRun(@PathVariable String runId, @RequestParam(required = false) @Nullable String type,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return artifacts.forRun(runId, QueryParams.enumValue("type", type, ArtifactType.class),
                PageQuery.of(limit, cursor));
    }

    @GetMapping("/cwom/issues/{issueId}/artifacts")
    Page<Artifact> listArtifactsOfIssue(@PathVariable String issueId, @RequestParam(required = false) @Nullable String type,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return artifacts.forIssue(issueId, QueryParams.enumValue("type", type, ArtifactType.class),
                PageQuery.of(limit, cursor));
    }
}
