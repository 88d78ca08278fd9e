package dev.cwom.artifacts.provenance;

import dev.cwom.artifacts.ArtifactApplication;
import dev.cwom.artifacts.sink.SinkEvent;
import dev.cwom.artifacts.sink.SinkWriter;
import dev.cwom.events.CloudEventHeaders;
import dev.cwom.events.Topics;
import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.service.tracing.TracedWork;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One provenance round, in one database transaction like the reaper's: the due runs are locked
 * ({@code FOR UPDATE SKIP LOCKED}); for each, a START is emitted once its start is stored, and once it ended with
 * every artifact it lists stored, its attestation is made and stored with the sink's own writer (so consuming its
 * {@code ArtifactCreated} back changes nothing) and the final event is emitted. Everything is published and
 * acknowledged before the transaction commits; a failed publish rolls the round back and the next one makes the same
 * events again (identical JSON, the same attestation). A run that fails on its own (its attestation cannot be
 * stored, say) is undone to a savepoint and put at the back of the queue, so it never holds the others. After the
 * commit the events go to the HTTP endpoint, if any.
 */
public final class ProvenanceRound {

    private static final Logger log = LoggerFactory.getLogger(ProvenanceRound.class);

    private final ProvenanceRuns runs;
    private final TransactionTemplate transactions;
    private final SinkWriter writer;
    private final LineageEvents lineage;
    private final @Nullable Attestations attestations;
    private final KafkaTemplate<String, String> lineageTemplate;
    private final TraceHeaders traces;
    private final KafkaTemplate<byte[], Object> cwomEvents;
    private final @Nullable LineageHttpTransport http;
    private final Clock clock;
    private final int maxPerRound;
    private final Duration publishTimeout;

    ProvenanceRound(ProvenanceRuns runs, TransactionTemplate transactions, SinkWriter writer, LineageEvents lineage,
            @Nullable Attestations attestations, KafkaTemplate<String, String> lineageTemplate,
            KafkaTemplate<byte[], Object> cwomEvents, @Nullable LineageHttpTransport http, Clock clock, int maxPerRound,
            Duration publishTimeout, TraceHeaders traces) {
        this.traces = traces;
        this.runs = runs;
        this.transactions = transactions;
        this.writer = writer;
        this.lineage = lineage;
        this.attestations = attestations;
        this.lineageTemplate = lineageTemplate;
        this.cwomEvents = cwomEvents;
        this.http = http;
        this.clock = clock;
        this.maxPerRound = maxPerRound;
        this.publishTimeout = publishTimeout;
    }

    /** What one round emitted: OpenLineage events (JSON) and the ids of the attestations it made. */
    public record Emitted(List<String> lineageEvents, List<String> attestationIds) {
    }

    /** Runs one round. */
    public Emitted emit() {
        Emitted emitted = transactions.execute(status -> {
            List<String> events = new ArrayList<>();
            List<String> attested = new ArrayList<>();
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (ProvenanceRun run : runs.due(maxPerRound)) {
                // one run that cannot be handled (its attestation cannot be stored, say) must not hold the others:
                // its work is undone to a savepoint and it goes to the back of the queue
                Object savepoint = status.createSavepoint();
                // the run's attestation and lineage records join the run's own trace
                try (TracedWork ignored = traces.continueTrace(run.traceId(), "cwom.provenance")) {
                    handle(run, events, attested, acks);
                    status.releaseSavepoint(savepoint);
                } catch (RuntimeException e) {
                    status.rollbackToSavepoint(savepoint);
                    runs.checked(run.runId(), false);
                    log.warn("Provenance of run {} failed, trying again in a later round: {}", run.runId(),
                            e.toString());
                }
            }
            await(acks);
            return new Emitted(List.copyOf(events), List.copyOf(attested));
        });
        if (emitted == null) {
            return new Emitted(List.of(), List.of());
        }
        if (http != null) {
            emitted.lineageEvents().forEach(http::offer);
        }
        return emitted;
    }

    private void handle(ProvenanceRun run, List<String> events, List<String> attested,
            List<CompletableFuture<?>> acks) {
        boolean starting = run.started() && !run.startEmitted();
        List<LineageEvents.Event> mine = new ArrayList<>();
        if (starting) {
            mine.add(lineage.start(run));
        }
        if (!run.finishedWithAllArtifacts()) {
            runs.checked(run.runId(), starting);
            mine.forEach(event -> events.add(send(run.runId(), event, acks)));
            return;
        }
        String attestationId = null;
        ProvenanceRun finished = run;
        // an in-toto statement needs a subject: a run without an artifact body (a lost worker's, one refused before
        // it started) has nothing to attest, and gets its final event only
        if (attestations != null && !Attestations.attestation(run).subjects().isEmpty()) {
            SinkEvent.ArtifactReceived attestation = attestations.attest(run, clock.instant());
            writer.write(List.of(attestation));
            attestationId = attestation.event().getArtifactId();
            finished = run.withAttestation(attestation);
            ProducerRecord<byte[], Object> record = new ProducerRecord<>(Topics.ARTIFACTS,
                    run.runId().getBytes(StandardCharsets.UTF_8), attestation.event());
            traces.inject(record.headers());
            acks.add(cwomEvents.send(record));
        }
        mine.add(lineage.finish(finished));
        runs.finishEmitted(run.runId(), attestationId);
        if (attestationId != null) {
            attested.add(attestationId);
        }
        // sent last, once nothing of this run can fail any more: an undone run sends nothing
        mine.forEach(event -> events.add(send(run.runId(), event, acks)));
    }

    private String send(String runId, LineageEvents.Event event, List<CompletableFuture<?>> acks) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LINEAGE, runId, event.json());
        CloudEventHeaders.ofLineage(runId, event.type(), event.time(), ArtifactApplication.CLOUD_EVENTS_SOURCE).forEach((name, value) ->
                record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        traces.inject(record.headers());
        acks.add(lineageTemplate.send(record));
        return event.json();
    }

    private void await(List<CompletableFuture<?>> acks) {
        if (acks.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while publishing provenance; the round is rolled back", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not publish " + acks.size() + " provenance event(s); the round is rolled"
                    + " back and tried again next period", e);
        }
    }
}
