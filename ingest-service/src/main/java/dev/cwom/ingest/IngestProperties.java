package dev.cwom.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of ingest-service (prefix {@code cwom.ingest}); defaults here and nowhere else.
 *
 * @param tasks     the policy gate of {@code POST /tasks/enqueue}
 * @param topics    how the pipeline topics are created at start-up when missing
 * @param relay     the outbox relay that publishes work orders
 * @param intake    the consumer of {@code cwom.issues.submitted.v1}
 * @param runStatus the consumer of {@code cwom.runs.v1} that moves Issues
 * @param policy    where the operator's policy comes from at start-up
 * @param sinkContract where ingest reads the sink's published views and hears that it stored something
 * @param provenance the public keys that verify attestations
 */
@ConfigurationProperties("cwom.ingest")
public record IngestProperties(@DefaultValue Tasks tasks, @DefaultValue TopicSettings topics,
        @DefaultValue Relay relay, @DefaultValue Intake intake, @DefaultValue RunStatus runStatus,
        @DefaultValue Policy policy, @DefaultValue SinkContract sinkContract, @DefaultValue Provenance provenance) {

    /**
     * The operator's public attestation keys published at {@code GET /cwom/.well-known/provenance-keys}
     * ({@code cwom.ingest.provenance.*}, docs/provenance.md).
     *
     * @param publicKeyFiles PEM files ({@code BEGIN PUBLIC KEY}, Ed25519), the current key and every retired one
     *     whose attestations should still verify; read at each request, so a rotation needs no restart. A file that
     *     does not exist (yet) is left out
     */
    public record Provenance(@Nullable List<Path> publicKeyFiles) {
        public Provenance {
            publicKeyFiles = publicKeyFiles == null ? List.of() : List.copyOf(publicKeyFiles);
        }
    }

    /**
     * The database of artifact-service's read contract (the views {@code sink_runs_v1} and {@code sink_artifacts_v1}
     * and the channel {@code cwom_sink_stored}, docs/contracts/sink-views-v1.md). Without a url, ingest's own
     * database ({@code spring.datasource.*}): the two services share one. With one, the sink's own database.
     *
     * @param url               JDBC url of the sink's database; none shares ingest's
     * @param username          its user (with a url)
     * @param password          its password (with a url)
     * @param reconnectInterval the pause before the listener for {@code cwom_sink_stored} connects again after
     *                          losing its connection
     * @param pollInterval      how often {@code ?wait} looks at the views while that listener is not connected
     */
    public record SinkContract(
            @Nullable String url,
            @Nullable String username,
            @Nullable String password,
            @DefaultValue("1s") Duration reconnectInterval,
            @DefaultValue("100ms") Duration pollInterval) {
    }

    /**
     * The operator's policy (docs/api.md, "Operator policy").
     *
     * @param file a YAML or JSON policy document read at start-up: stored as a new version when it differs from the
     *             version in force; none keeps the version in force (the safe built-in default when nothing was
     *             ever stored). Changed at run time with {@code PUT /cwom/admin/policy}
     */
    public record Policy(@Nullable Path file) {
    }

    /**
     * Topic creation at start-up (existing topics are left as they are); their replication is every service's
     * {@code cwom.kafka.topics.*} ({@link dev.cwom.service.kafka.TopicReplicationProperties}).
     *
     * @param partitions        partitions of each pipeline topic
     */
    public record TopicSettings(
            @DefaultValue("12") int partitions) {
    }

    /**
     * The outbox relay: several instances may run, each claiming rows with {@code FOR UPDATE SKIP LOCKED}.
     *
     * @param enabled      whether this instance relays at all
     * @param pollInterval the longest pause between passes when the last pass found nothing (a full batch goes on at
     *                     once); a commit of any instance that writes the outbox wakes the relay at once (in-process
     *                     and by {@code NOTIFY cwom_outbox}), so the poll matters only while the relay's listening
     *                     connection is down, and for rows a crashed writer left
     * @param batchSize    the most outbox rows one pass claims and publishes in one database transaction
     * @param ackTimeout   how long a pass waits for the broker's acks before it gives the rows back unpublished
     * @param maxFailedAttempts how many times a row may fail for a reason of its own (its work order cannot be
     *                          built, or the broker refuses it as not retriable) before it is parked: no longer
     *                          retried, {@code parked_at} and {@code parked_reason} set for operators. Ack timeouts
     *                          and retriable broker errors never count, so a broker outage parks nothing
     * @param reconnectInterval the pause before the relay's {@code LISTEN cwom_outbox} connection (one, outside the
     *                          pool) is opened again after it was lost
     */
    public record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("500ms") Duration pollInterval,
            @DefaultValue("50") int batchSize,
            @DefaultValue("15s") Duration ackTimeout,
            @DefaultValue("5") int maxFailedAttempts,
            @DefaultValue("1s") Duration reconnectInterval) {
    }

    /**
     * The Kafka intake of submitted Issues.
     *
     * @param enabled                 whether this instance consumes {@code cwom.issues.submitted.v1}
     * @param groupId                 the consumer group
     * @param concurrency             consumers in this instance (at most the partition count is useful)
     * @param transientBackoffInitial the first pause after a transient failure (database or registry down)
     * @param transientBackoffMax     the longest pause between retries of a transient failure (retried forever)
     * @param rejectTimeout           how long publishing a RecordRejected may take before the record is retried
     */
    public record Intake(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("cwom-ingest-intake") String groupId,
            @DefaultValue("1") int concurrency,
            @DefaultValue("500ms") Duration transientBackoffInitial,
            @DefaultValue("30s") Duration transientBackoffMax,
            @DefaultValue("15s") Duration rejectTimeout) {
    }

    /**
     * The follower of {@code cwom.runs.v1} that moves Issues ready -> running -> done / failed / canceled.
     *
     * @param enabled                 whether this instance follows run events
     * @param groupId                 the consumer group
     * @param transientBackoffInitial the first pause after a transient failure (database or registry down)
     * @param transientBackoffMax     the longest pause between retries of a transient failure (retried forever)
     * @param rejectTimeout           how long publishing a RecordRejected to {@code cwom.runs.rejected.v1} may take
     *                                before the event is retried
     */
    public record RunStatus(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("cwom-ingest-run-status") String groupId,
            @DefaultValue("500ms") Duration transientBackoffInitial,
            @DefaultValue("30s") Duration transientBackoffMax,
            @DefaultValue("15s") Duration rejectTimeout) {
    }

    /**
     * The task bridge's own rules. What a task may ask for (network, secrets, the largest time budget) is the
     * operator's policy's to say, for tasks as for every other submission.
     *
     * @param allowedRepoPrefixes repo slugs a task may target, by prefix after normalisation (lower-case, no
     *                            {@code .git}), e.g. {@code acme/}; empty allows every repo
     * @param minTimeBudget       the smallest time budget a task may ask for
     * @param defaultTimeBudget   the time budget of a task that names none
     * @param objectiveMinLength  the shortest objective, in characters after trimming
     * @param objectiveMaxLength  the longest objective, in characters after trimming
     * @param defaultRef          the git ref of a task whose target names none
     */
    public record Tasks(
            @DefaultValue List<String> allowedRepoPrefixes,
            @DefaultValue("30s") Duration minTimeBudget,
            @DefaultValue("15m") Duration defaultTimeBudget,
            @DefaultValue("5") int objectiveMinLength,
            @DefaultValue("4000") int objectiveMaxLength,
            @DefaultValue("main") String defaultRef) {
    }
}
