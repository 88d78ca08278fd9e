package dev.cwom.artifacts.sink;

import static dev.cwom.artifacts.sink.SinkFixtures.artifact;
import static dev.cwom.artifacts.sink.SinkFixtures.finished;
import static dev.cwom.artifacts.sink.SinkFixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.events.RunOutcome;
import dev.cwom.model.Artifact;
import dev.cwom.model.Ids;
import dev.cwom.model.VerificationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two sink instances can hold a run's two partitions (its run events on one topic, its artifacts on the other) and
 * write at the same moment; the run row is the lock both serialise on, so nothing either writes is lost.
 */
class SinkConcurrencyTests extends ArtifactServiceTest {

    private static final int RUNS = 40;
    private static final int PER_TRANSACTION = 8;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SinkWriter writer;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aRunsEventsAndItsArtifactsWrittenConcurrentlyEndWithEveryArtifactListedOnce() {
        SinkFixtures.Issue issue;
        try (SinkFixtures fixtures = new SinkFixtures(jdbc)) {
            issue = fixtures.issue();
        }
        Instant t0 = SinkFixtures.now();
        List<SinkEvent> runEvents = new ArrayList<>();
        List<SinkEvent> artifactEvents = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        List<List<String>> artifactsOfRun = new ArrayList<>();
        Artifact.Verification unverified = new Artifact.Verification(VerificationStatus.UNVERIFIED, List.of());
        for (int i = 0; i < RUNS; i++) {
            String run = Ids.newUlid();
            List<String> artifacts = List.of(Ids.newUlid(), Ids.newUlid());
            runs.add(run);
            artifactsOfRun.add(artifacts);
            runEvents.add(new SinkEvent.RunEventReceived(0, started(issue, run, t0)));
            // The finish names no artifacts: the list on the row can only come from the other writer.
            runEvents.add(new SinkEvent.RunEventReceived(0,
                    finished(issue, run, t0, t0.plusSeconds(5), RunOutcome.done, List.of())));
            for (String id : artifacts) {
                artifactEvents.add(new SinkEvent.ArtifactReceived(0,
                        artifact(issue, run, id, t0.plusSeconds(1), "https://example.org/" + id, null), unverified, null));
            }
        }

        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Void> runWriter = CompletableFuture.runAsync(() -> writeInChunks(start, runEvents, 2));
        CompletableFuture<Void> artifactWriter = CompletableFuture.runAsync(
                () -> writeInChunks(start, artifactEvents, 2));
        start.countDown();
        CompletableFuture.allOf(runWriter, artifactWriter).join();

        for (int i = 0; i < RUNS; i++) {
            String run = runs.get(i);
            assertThat(jdbc.queryForObject("SELECT status FROM cwom_runs WHERE id = ?", String.class, run))
                    .isEqualTo("done");
            assertThat(jdbc.queryForList("SELECT a->>'id' FROM cwom_runs, jsonb_array_elements(outputs->'artifacts')"
                    + " a WHERE id = ?", String.class, run))
                    .containsExactlyElementsOf(new TreeSet<>(artifactsOfRun.get(i)));
        }
    }

    private void writeInChunks(CountDownLatch start, List<SinkEvent> events, int perRun) {
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int chunk = PER_TRANSACTION * perRun;
        for (int from = 0; from < events.size(); from += chunk) {
            List<SinkEvent> part = events.subList(from, Math.min(events.size(), from + chunk));
            transactions.executeWithoutResult(status -> writer.write(part));
        }
    }
}
