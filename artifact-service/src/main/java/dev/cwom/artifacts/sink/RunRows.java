package dev.cwom.artifacts.sink;

/**
 * The statements that write runs. One upsert per run and batch merges a {@link RunDelta} into the row under the
 * row's lock, so concurrent sink instances and any delivery order end in the same row:
 * <ul>
 * <li>the earliest {@code RunStarted} (occurred_at, then event id) sets mode, executor, inputs, plan, the pinned
 *     constraint snapshot, the start time, tags and meta;</li>
 * <li>the earliest {@code RunFinished} sets the terminal status, failure, cost, end time, summary and decision log;
 *     a terminal status is never replaced by {@code running}, so a late heartbeat cannot reopen a run;</li>
 * <li>{@code last_heartbeat_at} only moves forward; {@code outputs.artifacts} is a set ordered by id;</li>
 * <li>a run seen only through its artifacts gets a {@code planned} placeholder row (repo from the artifact's event)
 *     that the run's own events fill in later: the row is the lock that keeps {@code outputs.artifacts} complete
 *     when two instances write a run and its artifacts at the same time;</li>
 * <li>{@code last_seen_at} is the database's time when a start or a newer heartbeat was stored: the reaper's own
 *     clock, which no worker's clock can move.</li>
 * </ul>
 * The {@code WHERE} of the update skips a delta that changes nothing, so a redelivered batch leaves rows as they were.
 * {@code outputs} is rebuilt only when the delta brings new artifacts or the winning finish: a heartbeat (the most
 * frequent event) then costs no unnest, sort and aggregation of the artifact list.
 */
final class RunRows {

    private static final String STARTED_WINS = "(EXCLUDED.started_event_id IS NOT NULL AND (r.started_event_id IS NULL"
            + " OR (EXCLUDED.started_event_at, EXCLUDED.started_event_id) < (r.started_event_at, r.started_event_id)))";
    private static final String TERMINAL_WINS = "(EXCLUDED.terminal_event_id IS NOT NULL AND (r.terminal_event_id IS NULL"
            + " OR (EXCLUDED.terminal_event_at, EXCLUDED.terminal_event_id)"
            + " < (r.terminal_event_at, r.terminal_event_id)))";
    private static final String HEARTBEAT_NEWER = "(EXCLUDED.last_heartbeat_at IS NOT NULL"
            + " AND (r.last_heartbeat_at IS NULL OR EXCLUDED.last_heartbeat_at > r.last_heartbeat_at))";
    private static final String NEW_ARTIFACTS = "NOT (coalesce(r.outputs->'artifacts', '[]'::jsonb)"
            + " @> coalesce(EXCLUDED.outputs->'artifacts', '[]'::jsonb))";
    private static final String ARTIFACT_UNION = "(SELECT coalesce(jsonb_agg(a ORDER BY a->>'id'), '[]'::jsonb)"
            + " FROM (SELECT DISTINCT ON (a->>'id') a FROM jsonb_array_elements("
            + "coalesce(r.outputs->'artifacts', '[]'::jsonb) || coalesce(EXCLUDED.outputs->'artifacts', '[]'::jsonb))"
            + " AS e(a) ORDER BY a->>'id') u)";
    private static final String WORKER_NEW = "(r.worker_id IS NULL AND EXCLUDED.worker_id IS NOT NULL)";

    private static final String COLUMNS = """
            INSERT INTO cwom_runs AS r (id, issue_id, repo_id, status, mode, executor, inputs, plan, telemetry, cost,
                outputs, failure, tags, meta, constraint_snapshot_id, constraint_snapshot_version,
                constraint_snapshot_digest, worker_id, work_order_event_id, last_heartbeat_at, last_event_id,
                last_event_at, started_event_id, started_event_at, terminal_event_id, terminal_event_at, created_at,
                updated_at, last_seen_at)
            """;

    /** The merge of a proposed row into an existing one; {@code %n$s} are the conditions above. */
    private static final String MERGE = """
            ON CONFLICT (id) DO UPDATE SET
                status = CASE WHEN %2$s THEN EXCLUDED.status
                              WHEN r.terminal_event_id IS NOT NULL THEN r.status
                              WHEN EXCLUDED.last_heartbeat_at IS NOT NULL THEN 'running'
                              ELSE r.status END,
                mode = CASE WHEN %1$s THEN EXCLUDED.mode ELSE r.mode END,
                executor = CASE WHEN %1$s THEN EXCLUDED.executor ELSE r.executor END,
                inputs = CASE WHEN %1$s THEN EXCLUDED.inputs ELSE r.inputs END,
                plan = CASE WHEN %1$s THEN EXCLUDED.plan ELSE r.plan END,
                tags = CASE WHEN %1$s THEN EXCLUDED.tags ELSE r.tags END,
                meta = CASE WHEN %1$s THEN EXCLUDED.meta ELSE r.meta END,
                constraint_snapshot_id = CASE WHEN %1$s THEN EXCLUDED.constraint_snapshot_id
                                              ELSE r.constraint_snapshot_id END,
                constraint_snapshot_version = CASE WHEN %1$s THEN EXCLUDED.constraint_snapshot_version
                                                   ELSE r.constraint_snapshot_version END,
                constraint_snapshot_digest = CASE WHEN %1$s THEN EXCLUDED.constraint_snapshot_digest
                                                  ELSE r.constraint_snapshot_digest END,
                work_order_event_id = CASE WHEN %1$s THEN EXCLUDED.work_order_event_id ELSE r.work_order_event_id END,
                worker_id = CASE WHEN %1$s AND EXCLUDED.worker_id IS NOT NULL THEN EXCLUDED.worker_id
                                 ELSE coalesce(r.worker_id, EXCLUDED.worker_id) END,
                telemetry = jsonb_strip_nulls(jsonb_build_object(
                    'started_at', CASE WHEN %1$s THEN EXCLUDED.telemetry->'started_at'
                                       ELSE coalesce(r.telemetry->'started_at', EXCLUDED.telemetry->'started_at') END,
                    'ended_at', CASE WHEN %2$s THEN EXCLUDED.telemetry->'ended_at' ELSE r.telemetry->'ended_at' END,
                    'duration_s', CASE WHEN %2$s THEN EXCLUDED.telemetry->'duration_s'
                                       ELSE r.telemetry->'duration_s' END)),
                cost = CASE WHEN %2$s THEN EXCLUDED.cost ELSE r.cost END,
                failure = CASE WHEN %2$s THEN EXCLUDED.failure ELSE r.failure END,
                outputs = CASE WHEN %4$s OR %2$s THEN jsonb_build_object('artifacts', %5$s)
                        || CASE WHEN %2$s THEN EXCLUDED.outputs - 'artifacts' ELSE r.outputs - 'artifacts' END
                    ELSE r.outputs END,
                started_event_id = CASE WHEN %1$s THEN EXCLUDED.started_event_id ELSE r.started_event_id END,
                started_event_at = CASE WHEN %1$s THEN EXCLUDED.started_event_at ELSE r.started_event_at END,
                terminal_event_id = CASE WHEN %2$s THEN EXCLUDED.terminal_event_id ELSE r.terminal_event_id END,
                terminal_event_at = CASE WHEN %2$s THEN EXCLUDED.terminal_event_at ELSE r.terminal_event_at END,
                last_heartbeat_at = GREATEST(r.last_heartbeat_at, EXCLUDED.last_heartbeat_at),
                last_event_id = CASE WHEN r.last_event_at IS NULL
                        OR (EXCLUDED.last_event_at, EXCLUDED.last_event_id) > (r.last_event_at, r.last_event_id)
                    THEN EXCLUDED.last_event_id ELSE r.last_event_id END,
                last_event_at = GREATEST(r.last_event_at, EXCLUDED.last_event_at),
                created_at = LEAST(r.created_at, EXCLUDED.created_at),
                updated_at = now(),
                last_seen_at = CASE WHEN %1$s OR %3$s THEN now() ELSE r.last_seen_at END
            WHERE %1$s OR %2$s OR %3$s OR %4$s OR %6$s
            """.formatted(STARTED_WINS, TERMINAL_WINS, HEARTBEAT_NEWER, NEW_ARTIFACTS, ARTIFACT_UNION, WORKER_NEW);

    /**
     * Upserts a whole batch's deltas in one statement: each parameter is a text array with one element per run
     * (the runs of a batch are distinct, sorted by id). A run seen only through artifacts whose events carry no repo
     * (producers older than ArtifactCreated's repo_id) gets no placeholder row: the artifact's own insert then fails
     * on its foreign key to the run until the run's events arrive. The sink reads no other owner's table.
     */
    static final String UPSERT = COLUMNS + """
            SELECT v.id, v.issue_id, v.repo_id, v.status, v.mode, v.executor::jsonb,
                coalesce(v.inputs::jsonb, '{}'::jsonb), coalesce(v.plan::jsonb, '{}'::jsonb), v.telemetry::jsonb,
                coalesce(v.cost::jsonb, '{}'::jsonb), v.outputs::jsonb, v.failure::jsonb,
                coalesce(v.tags::jsonb, '[]'::jsonb), coalesce(v.meta::jsonb, '{}'::jsonb), v.cs_id, v.cs_version,
                v.cs_digest, v.worker_id, v.wo_event_id, v.heartbeat_at::timestamptz, v.last_event_id,
                v.last_event_at::timestamptz, v.started_event_id, v.started_event_at::timestamptz, v.terminal_event_id,
                v.terminal_event_at::timestamptz, v.created_at::timestamptz, now(), now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[])
                AS v(id, issue_id, repo_id, status, mode, executor, inputs, plan, telemetry, cost, outputs, failure,
                     tags, meta, cs_id, cs_version, cs_digest, worker_id, wo_event_id, heartbeat_at, last_event_id,
                     last_event_at, started_event_id, started_event_at, terminal_event_id, terminal_event_at,
                     created_at)
            WHERE v.repo_id IS NOT NULL
            ORDER BY v.id
            """ + MERGE;

    /** Number of array parameters of {@link #UPSERT}. */
    static final int UPSERT_COLUMNS = 27;

    static final String PIN_CONTEXT_PACKET = """
            INSERT INTO cwom_run_context_packets (run_id, context_packet_id, version, digest)
            VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    static final String PIN_DOCTRINE_REF = """
            INSERT INTO cwom_run_doctrine_refs (run_id, doctrine_ref_id, version, digest)
            VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    /**
     * Inserts a batch's artifacts in one statement, one text array per column; a known id is left alone. {@code meta}
     * is the producer's meta with the sink's {@code verification_note}, if any, merged in by {@code SinkWriter}.
     */
    static final String INSERT_ARTIFACTS = """
            INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, digest, media_type, size_bytes, preview,
                verification, event_id, created_at, tags, meta, updated_at)
            SELECT v.id, v.run_id, v.issue_id, v.type, v.title, v.uri, v.digest, v.media_type, v.size_bytes::bigint,
                v.preview, v.verification::jsonb, v.event_id, v.created_at::timestamptz, v.tags::jsonb, v.meta::jsonb,
                now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                AS v(id, run_id, issue_id, type, title, uri, digest, media_type, size_bytes, preview, verification,
                     event_id, created_at, tags, meta)
            ON CONFLICT (id) DO NOTHING""";

    /** Number of array parameters of {@link #INSERT_ARTIFACTS}. */
    static final int ARTIFACT_COLUMNS = 15;

    /**
     * The sink's notice that it stored runs and artifacts, one payload per object ({@code run:<id>},
     * {@code artifact:<id>}) on channel {@code cwom_sink_stored}: part of its read contract
     * (docs/contracts/sink-views-v1.md). PostgreSQL delivers it when the storing transaction commits, and not at all
     * when it rolls back, so whoever hears it finds the rows in the views.
     */
    /**
     * Lists runs whose start or finish a batch brought for the provenance round (docs/provenance.md); a run already
     * listed keeps its row, which records what was emitted for it.
     */
    static final String QUEUE_PROVENANCE = """
            INSERT INTO cwom_run_provenance (run_id) SELECT unnest(?::text[]) ORDER BY 1
            ON CONFLICT (run_id) DO NOTHING""";

    static final String NOTIFY_STORED = "SELECT pg_notify('cwom_sink_stored', k) FROM unnest(?::text[]) AS k";

    private RunRows() {
    }
}
