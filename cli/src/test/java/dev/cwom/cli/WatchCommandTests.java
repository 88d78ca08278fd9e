package dev.cwom.cli;

import dev.cwom.cli.client.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** watch follows the Issue through its run to a final status and exits with the outcome's code. */
class WatchCommandTests {

    private static CompletableFuture<Cli.Result> watch(String issue, String... more) {
        return CompletableFuture.supplyAsync(() -> {
            String[] args = new String[3 + more.length];
            args[0] = "watch";
            args[1] = issue;
            args[2] = "--interval=0.2";
            System.arraycopy(more, 0, args, 3, more.length);
            return Cli.run(args);
        });
    }

    @Test
    void followsARunUntilTheIssueIsDoneAndExitsZero() throws Exception {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        CompletableFuture<Cli.Result> watching = watch(issue, "--timeout=60", "--output=json");
        String run = Rest.runningRun(issue, repo);
        Thread.sleep(1000);
        Rest.finishRun(run, "done");

        Cli.Result result = watching.get(90, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.OK);
        List<JsonNode> lines = result.out().lines().map(l -> Cli.Result.parse(l)).toList();
        assertThat(lines).extracting(l -> l.path("status").asString()).contains("running").last()
                .isEqualTo("done");
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("run_id").asString()).isEqualTo(run);
            assertThat(l.path("run_status").asString()).isEqualTo("running");
            assertThat(l.has("since_run_update_s")).isTrue();
        });
        assertThat(lines.getLast().path("final").asBoolean()).isTrue();
        assertThat(lines.getLast().path("elapsed_s").asDouble()).isPositive();
    }

    @Test
    void aFailedRunExitsTen() throws Exception {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);
        Rest.finishRun(run, "failed");

        Cli.Result result = watch(issue, "--timeout=60").get(90, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.ISSUE_FAILED);
        assertThat(result.out()).contains("run " + run + " failed").contains("Issue " + issue + " failed after");
    }

    @Test
    void aCanceledIssueExitsElevenAndATimeoutEight() throws Exception {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "planned");

        Cli.Result waited = watch(issue, "--timeout=1").get(30, TimeUnit.SECONDS);
        assertThat(waited.exitCode()).as(waited.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(waited.err()).contains("still planned");

        assertThat(Cli.run("cancel", issue).exitCode()).isZero();
        Cli.Result canceled = watch(issue).get(30, TimeUnit.SECONDS);
        assertThat(canceled.exitCode()).as(canceled.toString()).isEqualTo(ExitCodes.ISSUE_CANCELED);
    }
}
