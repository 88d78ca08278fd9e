package dev.cwom.worker.disk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.Ids;
import dev.cwom.worker.DiskSettings;
import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class RunFoldersTests {

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock();

    @Test
    void removesTheTraceFolderTheBundleAndTheWorkFolderOfARun() throws IOException {
        RunFolders folders = folders(20, DataSize.ofGigabytes(1));
        String runId = leftover("worker-1");

        folders.remove(runId);

        assertThat(traceRoot().resolve(runId)).doesNotExist();
        assertThat(traceRoot().resolve(runId + ".zip")).doesNotExist();
        assertThat(workRoot().resolve(runId)).doesNotExist();
    }

    @Test
    void deletingARunRemovesItsLinksButNotWhatTheyPointTo() throws IOException {
        Path outside = Files.writeString(Files.createDirectories(temp.resolve("outside")).resolve("keep.txt"), "x");
        String runId = leftover("worker-1");
        Files.createSymbolicLink(workRoot().resolve(runId).resolve("root"), outside.getParent());
        Files.createSymbolicLink(traceRoot().resolve(runId).resolve("artifacts").resolve("o"), outside);

        folders(20, DataSize.ofGigabytes(1)).remove(runId);

        assertThat(workRoot().resolve(runId)).doesNotExist();
        assertThat(traceRoot().resolve(runId)).doesNotExist();
        assertThat(outside).hasContent("x");
    }

    @Test
    void aGivenUpRunKeepsItsTraceAndBundleInQuarantineWithTheReasonAndLosesItsWorkFolder() throws IOException {
        RunFolders folders = folders(20, DataSize.ofGigabytes(1));
        String runId = leftover("worker-1");

        folders.quarantine(runId, "the blob store could not take the run's outputs");

        Path kept = traceRoot().resolve(".quarantine").resolve(runId);
        assertThat(kept.resolve("trace").resolve("manifest.json")).exists();
        assertThat(kept.resolve("trace").resolve("trace.log")).hasContent("a line of log");
        assertThat(kept.resolve(runId + ".zip")).exists();
        assertThat(Files.readString(kept.resolve("reason.txt"))).contains(runId).contains("worker-1")
                .contains("the blob store could not take the run's outputs");
        assertThat(traceRoot().resolve(runId)).doesNotExist();
        assertThat(traceRoot().resolve(runId + ".zip")).doesNotExist();
        assertThat(workRoot().resolve(runId)).doesNotExist();
    }

    @Test
    void theQuarantineKeepsAtMostItsCountEvictingTheOldestFirst() throws IOException {
        RunFolders folders = folders(2, DataSize.ofGigabytes(1));
        String first = leftover("worker-1");
        String second = leftover("worker-1");
        String third = leftover("worker-1");

        // given up in another order than they were made: eviction goes by when they were given up
        folders.quarantine(second, "second");
        clock.advance(Duration.ofSeconds(1));
        folders.quarantine(first, "first");
        clock.advance(Duration.ofSeconds(1));
        folders.quarantine(third, "third");

        assertThat(quarantined()).containsExactlyInAnyOrder(first, third);
    }

    @Test
    void theQuarantineKeepsAtMostItsSizeAndNoRunLargerThanItself() throws IOException {
        RunFolders folders = folders(20, DataSize.ofKilobytes(100));
        String older = leftover("worker-1");
        String newer = leftover("worker-1");
        String huge = leftover("worker-1");
        Files.write(traceRoot().resolve(older).resolve("trace.log"), new byte[40_000]);
        Files.write(traceRoot().resolve(newer).resolve("trace.log"), new byte[40_000]);
        Files.write(traceRoot().resolve(huge).resolve("trace.log"), new byte[200_000]);

        folders.quarantine(older, "older");
        clock.advance(Duration.ofSeconds(1));
        folders.quarantine(newer, "newer");
        assertThat(quarantined()).containsExactlyInAnyOrder(older, newer);
        clock.advance(Duration.ofSeconds(1));
        String third = leftover("worker-1");
        Files.write(traceRoot().resolve(third).resolve("trace.log"), new byte[40_000]);
        folders.quarantine(third, "third");
        assertThat(quarantined()).containsExactlyInAnyOrder(newer, third);

        clock.advance(Duration.ofSeconds(1));
        folders.quarantine(huge, "huge");
        // the huge one alone is over the limit: it goes, and everything older with it
        assertThat(quarantined()).isEmpty();
        assertThat(traceRoot().resolve(huge)).doesNotExist();
    }

    @Test
    void aQuarantineOfZeroRunsDeletesAGivenUpRun() throws IOException {
        String runId = leftover("worker-1");

        folders(0, DataSize.ofGigabytes(1)).quarantine(runId, "nothing kept");

        assertThat(traceRoot().resolve(runId)).doesNotExist();
        assertThat(quarantined()).isEmpty();
    }

    @Test
    void theStartUpSweepRemovesLeftoversOfThisWorkerButNotRunsInFlightTheQuarantineOrAnotherWorkersRuns()
            throws IOException {
        RunFolders folders = folders(1, DataSize.ofGigabytes(1));
        String mine = leftover("worker-1");
        String inFlight = leftover("worker-1");
        String anotherWorkers = leftover("worker-2");
        String orphanBundle = Ids.newUlid();
        Files.writeString(traceRoot().resolve(orphanBundle + ".zip"), "zip");
        String orphanWork = Ids.newUlid();
        Files.createDirectories(workRoot().resolve(orphanWork).resolve("src"));
        String deadPrepare = Ids.newUlid();
        Files.createDirectories(traceRoot().resolve(deadPrepare));
        Files.setLastModifiedTime(traceRoot().resolve(deadPrepare),
                FileTime.from(clock.instant().minus(Duration.ofHours(1))));
        String beingPrepared = Ids.newUlid();
        Files.createDirectories(traceRoot().resolve(beingPrepared));
        Files.setLastModifiedTime(traceRoot().resolve(beingPrepared), FileTime.from(clock.instant()));
        Path notARun = Files.createDirectories(traceRoot().resolve("notes"));
        String kept = leftover("worker-1");
        folders.quarantine(kept, "kept earlier");
        String evicted = leftover("worker-1");
        // a quarantine bigger than its (new) bound is bounded again
        Files.createDirectories(traceRoot().resolve(".quarantine").resolve(evicted));
        Files.setLastModifiedTime(traceRoot().resolve(".quarantine").resolve(evicted),
                FileTime.from(clock.instant().minus(Duration.ofDays(1))));
        folders.remove(evicted);

        Set<String> removed = folders.sweep(Set.of(inFlight));

        assertThat(removed).containsExactlyInAnyOrder(mine, orphanBundle, orphanWork, deadPrepare);
        assertThat(traceRoot().resolve(mine)).doesNotExist();
        assertThat(traceRoot().resolve(mine + ".zip")).doesNotExist();
        assertThat(workRoot().resolve(mine)).doesNotExist();
        assertThat(traceRoot().resolve(orphanBundle + ".zip")).doesNotExist();
        assertThat(workRoot().resolve(orphanWork)).doesNotExist();
        assertThat(traceRoot().resolve(deadPrepare)).doesNotExist();
        assertThat(traceRoot().resolve(inFlight)).exists();
        assertThat(workRoot().resolve(inFlight)).exists();
        assertThat(traceRoot().resolve(anotherWorkers)).exists();
        assertThat(traceRoot().resolve(beingPrepared)).exists();
        assertThat(notARun).exists();
        assertThat(quarantined()).containsExactly(kept);
    }

    @Test
    void theSweepOfAnEmptyOrMissingRootRemovesNothing() {
        assertThat(folders(20, DataSize.ofGigabytes(1)).sweep(Set.of())).isEmpty();
    }

    /** Folders as a run of {@code workerId} leaves them when its worker dies after bundling. */
    private String leftover(String workerId) throws IOException {
        String runId = Ids.newUlid();
        Path trace = Files.createDirectories(traceRoot().resolve(runId).resolve("artifacts"));
        Files.writeString(trace.getParent().resolve("manifest.json"), "{\"run_id\":\"" + runId
                + "\",\"worker_id\":\"" + workerId + "\",\"status\":\"running\"}", StandardCharsets.UTF_8);
        Files.writeString(trace.getParent().resolve("trace.log"), "a line of log");
        Files.writeString(traceRoot().resolve(runId + ".zip"), "zip");
        Files.writeString(Files.createDirectories(workRoot().resolve(runId).resolve("src")).resolve("big.o"),
                "object");
        return runId;
    }

    private Set<String> quarantined() throws IOException {
        Path quarantine = traceRoot().resolve(".quarantine");
        if (!Files.exists(quarantine)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(quarantine)) {
            return Set.copyOf(entries.map(p -> p.getFileName().toString()).toList());
        }
    }

    private RunFolders folders(int maxRuns, DataSize maxSize) {
        WorkerProperties properties = new WorkerProperties("worker-1", traceRoot(), workRoot(), null, null, null,
                null, null, null, null, null, new DiskSettings(maxRuns, maxSize, null, null, null, null));
        return new RunFolders(properties, clock);
    }

    private Path traceRoot() {
        return temp.resolve("traces");
    }

    private Path workRoot() {
        return temp.resolve("work");
    }
}
