package dev.cwom.cli;

import dev.cwom.cli.client.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.Ids;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ListShowCancelTests {

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    @Test
    void listsIssuesWithFiltersAPageAtATimeOrAll() {
        String repo = Rest.repo();
        String first = Rest.issue(repo, "planned");
        String second = Rest.issue(repo, "planned");
        String blocked = Rest.issue(repo, "blocked");

        Cli.Result planned = Cli.run("ls", "issues", "--repo", repo, "--status", "planned", "--output", "json");
        assertThat(planned.exitCode()).as(planned.toString()).isZero();
        assertThat(ids(planned.json().path("items"))).containsExactly(first, second);

        Cli.Result page = Cli.run("ls", "issues", "--repo", repo, "--limit", "1");
        assertThat(page.out()).startsWith(first).contains("planned").doesNotContain(second);
        assertThat(page.err()).contains("--cursor " + first);
        Cli.Result next = Cli.run("ls", "issues", "--repo", repo, "--limit", "1", "--cursor", first,
                "--output", "json");
        assertThat(ids(next.json().path("items"))).containsExactly(second);
        assertThat(next.json().path("next").asString()).contains("cursor=" + second);

        Cli.Result all = Cli.run("ls", "issues", "--repo", repo, "--limit", "1", "--all", "--output", "json");
        assertThat(ids(all.json().path("items"))).containsExactly(first, second, blocked);
        assertThat(all.json().has("next")).isFalse();
    }

    @Test
    void listsRunsAndArtifactsOfAnIssue() {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);
        String artifact = Rest.artifact(run, issue, "report", "https://example.org/report.txt",
                "sha256:" + "ab".repeat(32));

        Cli.Result runs = Cli.run("ls", "runs", "--issue", issue, "--output", "json");
        assertThat(ids(runs.json().path("items"))).containsExactly(run);
        Cli.Result byRun = Cli.run("ls", "artifacts", "--run", run);
        assertThat(byRun.out()).startsWith(artifact).contains("report");
        Cli.Result byIssue = Cli.run("ls", "artifacts", "--issue", issue, "--type", "report", "--output", "json");
        assertThat(ids(byIssue.json().path("items"))).containsExactly(artifact);
        Cli.Result neither = Cli.run("ls", "artifacts");
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void showsAnObjectOfAnyKindByItsId() {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);

        Cli.Result shownIssue = Cli.run("show", issue, "--output", "json");
        assertThat(shownIssue.exitCode()).as(shownIssue.toString()).isZero();
        assertThat(shownIssue.json().path("issue").path("id").asString()).isEqualTo(issue);
        assertThat(Cli.run("show", run).out()).startsWith("Run " + run + "  running");
        assertThat(Cli.run("show", repo, "--output", "json").json().path("kind").asString()).isEqualTo("Repo");
        assertThat(Cli.run("show", repo, "--kind", "run").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);

        Cli.Result unknown = Cli.run("show", Ids.newUlid());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("No object with id");
    }

    @Test
    void cancelsAnIssueWithAReasonAndRefusesAnIllegalMove() {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "planned");

        Cli.Result canceled = Cli.run("cancel", issue, "--reason", "not needed", "--output", "json");
        assertThat(canceled.exitCode()).as(canceled.toString()).isZero();
        assertThat(canceled.json().path("status").asString()).isEqualTo("canceled");
        assertThat(Rest.ingest("GET", "/cwom/issues/" + issue, null).path("issue").path("status").asString())
                .isEqualTo("canceled");

        String done = Rest.issue(repo, "ready");
        Rest.finishRun(Rest.runningRun(done, repo), "done");
        Cli.Result refused = Cli.run("cancel", done);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("ILLEGAL_TRANSITION").contains("HTTP 409");
    }
}
