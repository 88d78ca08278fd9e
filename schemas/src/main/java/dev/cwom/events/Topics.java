package dev.cwom.events;

import java.util.List;

/** The pipeline's Kafka topics: the one place their names are written. */
public final class Topics {

    /** Issue submissions from producers (Avro {@code IssueSubmitted}), key = issue id when known. */
    public static final String ISSUES_SUBMITTED = "cwom.issues.submitted.v1";
    /** Submissions ingest could not accept, with the original bytes and a reason (Avro {@code RecordRejected}). */
    public static final String ISSUES_REJECTED = "cwom.issues.rejected.v1";
    /** Self-contained work orders (Avro {@code WorkOrder}), key = issue id. */
    public static final String ISSUES_READY = "cwom.issues.ready.v1";
    /**
     * Canceled Issues (Avro {@code IssueCanceled}), key = issue id; compacted: canceled is final, so the latest (and
     * only meaningful) record per Issue is all a worker needs when it reads the topic from the beginning.
     */
    public static final String ISSUES_CANCELED = "cwom.issues.canceled.v1";
    /** Run lifecycle events ({@code RunStarted}, {@code RunHeartbeat}, {@code RunFinished}), key = run id. */
    public static final String RUNS = "cwom.runs.v1";
    /**
     * Run events ingest could not apply to its Issues' status (undecodable, not a RunEvent, an unknown Issue, or an
     * unexpected failure that persisted), with the original bytes and a reason (Avro {@code RecordRejected}).
     */
    public static final String RUNS_REJECTED = "cwom.runs.rejected.v1";
    /** {@code ArtifactCreated} events, key = run id. */
    public static final String ARTIFACTS = "cwom.artifacts.v1";
    /** Run and artifact events the sink can never store, with a reason (Avro {@code RecordRejected}). */
    public static final String SINK_REJECTED = "cwom.sink.rejected.v1";
    /**
     * OpenLineage {@code RunEvent}s of every Run (START, then COMPLETE, FAIL or ABORT) as JSON, not Avro: the
     * OpenLineage spec's own format, so lineage tools read it as they read any OpenLineage source. Key = run id;
     * written by artifact-service (docs/provenance.md).
     */
    public static final String LINEAGE = "cwom.lineage.v1";
    /** The schema registry's own compacted store, as Confluent Schema Registry names it. */
    public static final String SCHEMAS = "_schemas";

    /** Every pipeline topic (not the registry's store). */
    public static final List<String> PIPELINE = List.of(
            ISSUES_SUBMITTED, ISSUES_REJECTED, ISSUES_READY, ISSUES_CANCELED, RUNS, RUNS_REJECTED, ARTIFACTS,
            SINK_REJECTED, LINEAGE);

    private Topics() {
    }
}
