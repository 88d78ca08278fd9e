package dev.cwom.artifacts.provenance;

import com.github.f4b6a3.ulid.Ulid;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ref;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * OpenLineage 2-0-2 {@code RunEvent}s of a Run, as JSON written with the project's Jackson (the OpenLineage Java
 * client would bring Jackson 2 next to it for a few maps). The mapping is docs/provenance.md's table; events are
 * built only from what is stored, so an event emitted again is the same JSON.
 */
final class LineageEvents {

    static final String SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    static final String RUN_FACET_SCHEMA = "urn:cwom:openlineage:facet:cwom_run:v1";
    static final String PINNED_FACET_SCHEMA = "urn:cwom:openlineage:facet:cwom_pinned:v1";
    static final String ARTIFACT_FACET_SCHEMA = "urn:cwom:openlineage:facet:cwom_artifact:v1";
    static final String ERROR_FACET_SCHEMA =
            "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet";
    static final String VERSION_FACET_SCHEMA =
            "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet";

    private final LineageProperties properties;

    LineageEvents(LineageProperties properties) {
        this.properties = properties;
    }

    /** The run id as OpenLineage wants it: a ULID is 128 bits, so it is the UUID with the same bits (reversible). */
    static UUID runUuid(String runId) {
        return Ulid.from(runId).toUuid();
    }

    /**
     * One OpenLineage RunEvent as written.
     *
     * @param type its {@code eventType}
     * @param time its {@code eventTime}
     * @param json the event
     */
    record Event(String type, Instant time, String json) {
    }

    /** The START event: when the run started, with its pinned inputs. */
    Event start(ProvenanceRun run) {
        Instant at = run.telemetry().startedAt();
        return event("START", at, run, false);
    }

    /** COMPLETE, FAIL or ABORT for a run done, failed or canceled, with its inputs and artifacts. */
    Event finish(ProvenanceRun run) {
        String type = switch (run.status()) {
            case "done" -> "COMPLETE";
            case "canceled" -> "ABORT";
            default -> "FAIL";
        };
        Instant at = run.endedAt() != null ? run.endedAt() : run.telemetry().startedAt();
        return event(type, at, run, true);
    }

    private Event event(String type, @Nullable Instant at, ProvenanceRun run, boolean withOutputs) {
        // a run without any time recorded (none known to the sink) is stamped with the epoch rather than "now",
        // which would make a repeated event differ
        Instant time = at == null ? Instant.EPOCH : at;
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventType", type);
        event.put("eventTime", time.toString());
        event.put("producer", properties.producer().toString());
        event.put("schemaURL", SCHEMA_URL);
        event.put("run", Map.of("runId", runUuid(run.runId()).toString(), "facets", runFacets(run, withOutputs)));
        event.put("job", Map.of("namespace", properties.namespace(), "name", jobName(run)));
        event.put("inputs", run.pinned().stream().map(this::input).toList());
        event.put("outputs", withOutputs ? run.artifacts().stream().map(this::output).toList() : List.of());
        return new Event(type, time, CwomJson.mapper().writeValueAsString(event));
    }

    /** {@code repo:<repo id>/executor:<name>}: one job per Repo and executor, its runs the Issue's attempts. */
    static String jobName(ProvenanceRun run) {
        return "repo:" + run.repoId() + "/executor:" + (run.executorName() == null ? "unknown" : run.executorName());
    }

    private Map<String, Object> runFacets(ProvenanceRun run, boolean finished) {
        Map<String, Object> cwom = facet(RUN_FACET_SCHEMA);
        cwom.put("run_id", run.runId());
        cwom.put("issue_id", run.issueId());
        cwom.put("repo_id", run.repoId());
        put(cwom, "worker_id", run.workerId());
        put(cwom, "policy_version", run.policyVersion());
        put(cwom, "principal", run.requestedBy());
        if (finished) {
            cwom.put("status", run.status());
        }
        Map<String, Object> facets = new LinkedHashMap<>();
        facets.put("cwom_run", cwom);
        if (finished && run.failure() != null) {
            Map<String, Object> error = facet(ERROR_FACET_SCHEMA);
            error.put("message", run.failure().message());
            error.put("programmingLanguage", "cwom:" + run.failure().category().value());
            facets.put("errorMessage", error);
        }
        return facets;
    }

    private Map<String, Object> input(Ref ref) {
        Map<String, Object> pinned = facet(PINNED_FACET_SCHEMA);
        pinned.put("kind", ref.kind());
        pinned.put("id", ref.id());
        put(pinned, "version", ref.version());
        pinned.put("digest", ref.digest());
        Map<String, Object> version = facet(VERSION_FACET_SCHEMA);
        version.put("datasetVersion", ref.digest());
        return Map.of("namespace", properties.namespace(), "name", "cwom:" + ref.kind() + "/" + ref.id(),
                "facets", Map.of("cwom_pinned", pinned, "version", version));
    }

    private Map<String, Object> output(ProvenanceRun.StoredArtifact artifact) {
        Map<String, Object> facet = facet(ARTIFACT_FACET_SCHEMA);
        facet.put("type", artifact.type());
        facet.put("title", artifact.title());
        facet.put("uri", artifact.uri());
        put(facet, "digest", artifact.digest());
        put(facet, "media_type", artifact.mediaType());
        put(facet, "size_bytes", artifact.sizeBytes());
        facet.put("verification", artifact.verification());
        return Map.of("namespace", properties.namespace(), "name", "cwom:Artifact/" + artifact.id(),
                "facets", Map.of("cwom_artifact", facet));
    }

    private Map<String, Object> facet(String schemaUrl) {
        Map<String, Object> facet = new LinkedHashMap<>();
        facet.put("_producer", properties.producer().toString());
        facet.put("_schemaURL", schemaUrl);
        return facet;
    }

    private static void put(Map<String, Object> map, String key, @Nullable Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
