package dev.cwom.worker.runs;

import dev.cwom.model.FailureCategory;
import dev.cwom.worker.blobs.BlobRejectedException;
import dev.cwom.worker.blobs.BlobStoreUnavailableException;
import dev.cwom.worker.execution.ExecutedRun;
import dev.cwom.worker.execution.PublishedArtifact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run's end publishes, and what becomes of it once the {@link Committer} has committed or aborted it: an
 * executed run's artifacts and {@code RunFinished} with its offset; a run that could not be completed, failed with
 * its offset (trying again gives the same answer); a run whose outputs the blob store could not take, failed
 * without its offset (the work order runs again). Ends whose transaction is aborted are recorded failed without
 * the offset, so that they do not stay {@code running} until the sink's reaper finds them, and run again.
 */
final class RunEnds {

    private static final Logger log = LoggerFactory.getLogger(RunEnds.class);

    private final PickupLoop loop;
    private final Committer committer;
    private final Redelivery redelivery;

    RunEnds(PickupLoop loop, Committer committer, Redelivery redelivery) {
        this.loop = loop;
        this.committer = committer;
        this.redelivery = redelivery;
    }

    /**
     * Hands the end of a run whose executor has returned to the committer. {@code owned} is false inside a
     * revocation, where the partition cannot be rewound because it is already someone else's to read.
     */
    void end(RunInFlight run, boolean owned) {
        Attempt attempt = run.attempt;
        ExecutedRun executed;
        try {
            executed = run.result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BlobStoreUnavailableException) {
                abandon(run, FailureCategory.DEPENDENCY, "The blob store could not take the run's outputs: "
                        + cause.getMessage() + "; the work order will run again");
                if (owned) {
                    redelivery.again(attempt.partition(), attempt.offset());
                }
                return;
            }
            // A refused body or a broken trace folder: trying the same work order again gives the same answer.
            FailureCategory category = cause instanceof BlobRejectedException ? FailureCategory.RUNTIME
                    : FailureCategory.UNKNOWN;
            log.error("Worker {}: run {} at {} could not be completed", workerId(), attempt.runId(),
                    attempt.position(), cause);
            String message = "Run " + attempt.runId() + " could not be completed: " + cause;
            // Its trace was not delivered: kept for an operator, whether or not the failure is committed.
            committer.finish(new Committer.Ending(attempt, "failed (" + category.value() + ")", List.of(
                    attempt.end(loop.topics().runs(), loop.events().failed(attempt, category, message,
                            loop.clock().instant()))), owned, message));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading a finished run", e);
        } catch (CancellationException e) {
            return;
        }
        Instant now = loop.clock().instant();
        List<ProducerRecord<String, Object>> records = new ArrayList<>();
        for (PublishedArtifact artifact : executed.artifacts()) {
            records.add(attempt.record(loop.topics().artifacts(), loop.events().artifact(attempt, artifact, now)));
        }
        records.add(attempt.end(loop.topics().runs(), loop.events().finished(attempt, executed)));
        String outcome = executed.failure() == null ? executed.status().value()
                : "failed (" + executed.failure().category().value() + ")";
        committer.finish(new Committer.Ending(attempt, outcome, records, owned, null));
    }

    /** What follows a flush for the ends it carried. */
    void settle(Committer.Flushed flushed) {
        if (flushed.endings().isEmpty()) {
            return;
        }
        if (flushed.aborted() == null) {
            for (Committer.Ending ending : flushed.endings()) {
                committed(ending);
            }
            return;
        }
        committer.recordFailed(flushed.endings().stream().map(Committer.Ending::attempt).toList(),
                FailureCategory.RUNTIME, a -> "The transaction that was to finish run " + a.runId() + " ("
                        + outcomeOf(flushed, a) + ") and commit its work order at " + a.position() + " was aborted ("
                        + flushed.aborted() + "); its events are discarded and the work order runs again as a new"
                        + " attempt");
        for (Committer.Ending ending : flushed.endings()) {
            Attempt attempt = ending.attempt();
            if (ending.owned()) {
                redelivery.again(attempt.partition(), attempt.offset());
            }
            loop.folders().quarantine(attempt.runId(), ending.undelivered() != null ? ending.undelivered()
                    : "the transaction that was to finish it was aborted; its work order runs again as a new"
                    + " attempt");
        }
    }

    private static String outcomeOf(Committer.Flushed flushed, Attempt attempt) {
        return flushed.endings().stream().filter(e -> e.attempt() == attempt).findFirst()
                .map(Committer.Ending::outcome).orElse("?");
    }

    private void committed(Committer.Ending ending) {
        Attempt attempt = ending.attempt();
        loop.recent().finished(attempt.partition(), attempt.order().getEventId(), attempt.runId());
        loop.countFinished();
        log.info("Worker {}: run {} for issue {} {}; committed {}", workerId(), attempt.runId(),
                attempt.order().getIssueId(), ending.outcome(), attempt.position());
        if (ending.undelivered() == null) {
            // Its trace bundle is in the blob store and the artifact that names it is committed.
            loop.folders().remove(attempt.runId());
        } else {
            loop.folders().quarantine(attempt.runId(), ending.undelivered());
        }
    }

    /** Stops a run and records it failed, without its offset: the work order will be read again. */
    void abandon(RunInFlight run, FailureCategory category, String message) {
        run.abandon(message);
        Attempt attempt = run.attempt;
        log.warn("Worker {}: abandoning run {} for issue {} at {}: {}", workerId(), attempt.runId(),
                attempt.order().getIssueId(), attempt.position(), message);
        committer.recordFailed(List.of(attempt), category, a -> message);
    }

    private String workerId() {
        return loop.properties().workerId();
    }
}
