package dev.cwom.ingest.runs;

import dev.cwom.events.Topics;
import dev.cwom.ingest.attempts.IssueAttempts;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.sinkcontract.SinkContract;
import dev.cwom.ingest.sinkcontract.SinkStoredSignal;
import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.References;
import dev.cwom.model.Artifact;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Repo;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import dev.cwom.service.tracing.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * REST writes of runs and artifacts as events (key = run id), acknowledged by the broker before the 202, so the sink
 * stays the only writer of their tables. Whether the sink has them is read from its contract ({@link SinkContract});
 * {@code ?wait} wakes when the sink says it stored the object ({@link SinkStoredSignal}).
 */
@Component
class KafkaRunEventPublisher implements RunEventPublisher {

    private static final Logger log = LoggerFactory.getLogger(KafkaRunEventPublisher.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<Status> FINAL = Set.of(Status.DONE, Status.FAILED, Status.CANCELED);

    private final KafkaTemplate<byte[], Object> kafka;
    private final RestRunEvents events;
    private final References references;
    private final RunService runs;
    private final JdbcClient jdbc;
    private final CwomRows rows;
    private final IssueAttempts attempts;
    private final SinkContract sink;
    private final SinkStoredSignal stored;
    private final TraceHeaders traces;

    KafkaRunEventPublisher(KafkaTemplate<byte[], Object> cwomEventTemplate, RestRunEvents events,
            References references, RunService runs, JdbcClient jdbc, CwomRows rows, IssueAttempts attempts,
            SinkContract sink, SinkStoredSignal stored, TraceHeaders traces) {
        this.kafka = cwomEventTemplate;
        this.events = events;
        this.references = references;
        this.runs = runs;
        this.jdbc = jdbc;
        this.rows = rows;
        this.attempts = attempts;
        this.sink = sink;
        this.stored = stored;
        this.traces = traces;
    }

    @Override
    @Transactional
    public Created<Run> runReported(Run run, @Nullable String traceId) {
        if (run.status() == Status.BLOCKED) {
            throw ApiProblem.invalid("$.status", "a reported Run is running or finished (done, failed, canceled), "
                    + "not blocked");
        }
        references.requireExisting(References.check()
                .ref("$.for_issue", run.forIssue(), Issue.KIND)
                .ref("$.repo", run.repo(), Repo.KIND)
                .refs("$.inputs.context_packets", run.inputs().contextPackets(), ContextPacket.KIND)
                .refs("$.inputs.doctrine_refs", run.inputs().doctrineRefs(), DoctrineRef.KIND)
                .ref("$.inputs.constraint_snapshot", run.inputs().constraintSnapshot(), ConstraintSnapshot.KIND));
        String issueRepo = jdbc.sql("SELECT repo_id FROM cwom_issues WHERE id = :id").param("id", run.forIssue().id())
                .query(String.class).single();
        if (!issueRepo.equals(run.repo().id())) {
            throw References.mismatched(new References.Mismatch("$.repo", Repo.KIND, run.repo().id(),
                    "is not the repo of Issue '" + run.forIssue().id() + "', which is Repo '" + issueRepo
                            + "'; a Run works on its Issue's repo: set repo to that one"));
        }
        List<Ref> packets = run.inputs().contextPackets();
        for (int i = 0; i < packets.size(); i++) {
            String packetIssue = jdbc.sql("SELECT issue_id FROM cwom_context_packets WHERE id = :id")
                    .param("id", packets.get(i).id()).query(String.class).single();
            if (!packetIssue.equals(run.forIssue().id())) {
                throw References.mismatched(new References.Mismatch("$.inputs.context_packets[" + i + "]",
                        ContextPacket.KIND, packets.get(i).id(), "is the context of Issue '" + packetIssue
                                + "', not of Issue '" + run.forIssue().id() + "' this Run works on; a Run pins its "
                                + "own Issue's context: post a ContextPacket for that Issue"));
            }
        }
        Created<Run> claimed = rows.createPublished(Run.KIND, run, this::runKnown, sink::run);
        if (!claimed.created()) {
            log.info("Run {} reported over REST again with the same content; answered as it is (trace {})",
                    claimed.object().id(), traceId);
            return claimed;
        }
        Run accepted = claimed.object();
        String id = Objects.requireNonNull(accepted.id());
        var now = CwomRows.now();
        // numbered at receipt: its place among the Issue's attempts, whatever id the client chose
        int attempt = attempts.next(run.forIssue().id());
        publish(Topics.RUNS, id, events.started(accepted, now, attempt));
        if (FINAL.contains(run.status())) {
            publish(Topics.RUNS, id, events.finished(accepted, run.status(), run.failure(), run.telemetry(),
                    run.cost(), run.outputs(), now, attempt));
        }
        log.info("Run {} of Issue {} reported over REST as {}, attempt {} (trace {})", id, run.forIssue().id(),
                run.status().value(), attempt, traceId);
        return claimed;
    }

    @Override
    @Transactional(readOnly = true)
    public Run runUpdated(String runId, RunUpdate update, @Nullable String traceId) {
        Run stored = runs.get(runId);
        Status status = update.status();
        if (status == null || !(FINAL.contains(status) || status == Status.RUNNING)) {
            throw ApiProblem.invalid("$.status", "must be running (a heartbeat) or done, failed or canceled (the "
                    + "end of the run), not " + (status == null ? "missing" : status.value()));
        }
        if (FINAL.contains(stored.status())) {
            // the sink keeps a run's first end (terminal states win): an event now would be accepted, then ignored
            throw ApiProblem.conflict("RUN_FINISHED", "Run '" + runId + "' already finished as "
                    + stored.status().value() + " and a finished Run does not change; report a new Run for another "
                    + "attempt", Map.of("id", runId, "run_status", stored.status().value()));
        }
        var now = CwomRows.now();
        publish(Topics.RUNS, runId, status == Status.RUNNING ? events.heartbeat(stored, now)
                : events.finished(stored, update, now));
        return stored;
    }

    @Override
    @Transactional
    public Created<Artifact> artifactReported(Artifact artifact, @Nullable String traceId) {
        references.requireExisting(References.check().ref("$.for_issue", artifact.forIssue(), Issue.KIND));
        String runId = artifact.producedBy().id();
        // the run's Issue as whoever knows the run tells it: the sink, ingest's run events, or a REST report
        Optional<String> runIssue = sink.runIssue(runId).or(() -> jdbc.sql(
                        "SELECT issue_id FROM ingest_issue_runs WHERE run_id = :id "
                        + "UNION ALL SELECT submitted -> 'for_issue' ->> 'id' FROM ingest_rest_submissions "
                        + "WHERE id = :id AND kind = 'Run' LIMIT 1")
                .param("id", runId).query(String.class).list().stream().findFirst());
        if (runIssue.isEmpty()) {
            throw References.unknown(List.of(new References.Missing("$.produced_by", Run.KIND, runId)));
        }
        if (!runIssue.get().equals(artifact.forIssue().id())) {
            throw References.mismatched(new References.Mismatch("$.produced_by", Run.KIND, runId,
                    "is a Run of Issue '" + runIssue.get() + "', not of Issue '" + artifact.forIssue().id()
                            + "' named by for_issue; an Artifact belongs to the Issue its Run worked on"));
        }
        Created<Artifact> claimed = rows.createPublished(Artifact.KIND, artifact, sink::artifactStored,
                sink::artifact);
        if (claimed.created()) {
            // the sink records the run from the artifact's event when it has no row of it yet: it needs the repo
            String repoId = jdbc.sql("SELECT repo_id FROM cwom_issues WHERE id = :id")
                    .param("id", artifact.forIssue().id()).query(String.class).single();
            publish(Topics.ARTIFACTS, runId, events.artifactCreated(claimed.object(), repoId, CwomRows.now()));
        }
        return claimed;
    }

    /** Whether the pipeline knows Run {@code id}: stored by the sink, or seen by ingest in its events. */
    private boolean runKnown(String id) {
        return sink.runStored(id) || jdbc.sql("SELECT EXISTS (SELECT 1 FROM ingest_issue_runs WHERE run_id = :id)")
                .param("id", id).query(Boolean.class).single();
    }

    @Override
    public boolean awaitRunStored(String runId, @Nullable Status status, Duration wait) {
        return stored.await(SinkStoredSignal.runKey(runId), wait, () -> sink.runStatus(runId)
                .map(now -> status == null || now == status).orElse(false));
    }

    @Override
    public boolean awaitArtifactStored(String artifactId, Duration wait) {
        return stored.await(SinkStoredSignal.artifactKey(artifactId), wait, () -> sink.artifactStored(artifactId));
    }

    private void publish(String topic, String runId, Object event) {
        try {
            ProducerRecord<byte[], Object> record = new ProducerRecord<>(topic,
                    runId.getBytes(StandardCharsets.UTF_8), event);
            traces.inject(record.headers());
            kafka.send(record).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(topic, e);
        }
    }

    private static ApiProblem unavailable(String topic, Exception cause) {
        log.warn("Could not publish to {}: {}", topic, cause.toString());
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "EVENTS_UNAVAILABLE", "The event could not be "
                + "published to " + topic + " (" + cause.getClass().getSimpleName() + "); nothing was recorded, send "
                + "the same request again", Map.of("topic", topic));
    }
}
