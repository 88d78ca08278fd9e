package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.localstack.StackDatabase.RunRow;
import dev.cwom.model.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A worker killed with SIGKILL during a shell run takes the run's processes with it (bubblewrap's
 * {@code --die-with-parent}): none survives to run next to the retry, which is the only execution left.
 */
class SandboxKillEndToEndTests {

    private static final List<String> WORKERS = List.of("worker-service #1", "worker-service #2");

    @Test
    void aSigkilledWorkerLeavesNoProcessOfItsShellRunAndTheRetryIsTheOnlyExecution() throws Exception {
        LocalStack stack = SharedStack.get();
        String marker = "20." + System.nanoTime() % 1_000_000; // seconds for sleep, and a unique argument
        String issueId = Ids.newUlid();
        String repo = DemoIssues.repo("sandbox/kill-" + Ids.newUlid().substring(18).toLowerCase(), "sleep");

        try (StackClient client = StackClient.of(stack); StackDatabase db = StackDatabase.of(stack)) {
            client.submitAsync(issueId, DemoIssues.event()
                    .setRepoJson(repo)
                    .setIssueJson(DemoIssues.issue(issueId, "Sleep in a sandbox", "chore", "shell"))
                    .setContextPacketsJson(List.of(DemoIssues.packet("Sleep " + marker, List.of("sleep " + marker))))
                    .setConstraintSnapshotJson(DemoIssues.constraints(5, "sleep"))
                    .build());
            client.flush();
            await("the sleep running in a sandbox").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> processesWith(marker).size() == 1);

            WORKERS.forEach(name -> stack.service(name).kill());
            await("no process of the killed run left").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> processesWith(marker).isEmpty());

            restart(stack);
            AtomicInteger mostAtOnce = new AtomicInteger();
            await("the retry done").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        mostAtOnce.accumulateAndGet(processesWith(marker).size(), Math::max);
                        // the Issue's status and the run's row are written by different consumers of the run's
                        // events: wait for both, or the run row may not be there yet
                        return db.statusCounts(Set.of(issueId)).containsKey("done")
                                && db.runs(Set.of(issueId)).stream().anyMatch(r -> "done".equals(r.status()));
                    });

            assertThat(mostAtOnce).as("sleeps of the run at once after the kill").hasValueLessThanOrEqualTo(1);
            List<RunRow> runs = db.runs(Set.of(issueId));
            assertThat(runs).filteredOn(r -> "done".equals(r.status())).hasSize(1);
            assertThat(runs).filteredOn(r -> !"done".equals(r.status()))
                    .allSatisfy(r -> assertThat(r.status()).isIn("running", "failed"));
            assertThat(processesWith(marker)).isEmpty();
        } finally {
            restart(stack);
        }
    }

    private static void restart(LocalStack stack) {
        for (String name : WORKERS) {
            ServiceProcess worker = stack.service(name);
            if (!worker.isRunning()) {
                worker.start();
            }
        }
        WORKERS.forEach(name -> stack.service(name).awaitHealthy(stack.settings().startupTimeout()));
    }

    /** Pids of the processes whose command line contains {@code marker}, read from {@code /proc}. */
    private static List<Long> processesWith(String marker) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(marker) && !cmdline.contains("bwrap") && !cmdline.contains("prlimit")) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // Gone meanwhile.
                }
            }
        }
        return pids;
    }
}
