package dev.cwom.ingest.sinkcontract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.SinkDatabase;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTable;
import dev.cwom.model.Artifact;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import dev.cwom.testing.SharedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * ingest's side of the sink's read contract: every column ingest reads is one docs/contracts/sink-views-v1.md
 * publishes, and its queries run against the real views, created by the sink's own migrations.
 */
class SinkContractTests {

    private static final Path PUBLISHED = Path.of("..", "docs", "contracts", "sink-views-v1.md");
    private static final Pattern ROW = Pattern.compile("^\\| (sink_\\w+) \\| (\\w+) \\| ([^|]+?) \\|$");
    private static final String ISSUE = "01JJ8Z5K4T3W6X7Y8Z9ABCDEF1";
    private static final String REPO = "01JJ8Z5K4T3W6X7Y8Z9ABCDEF0";
    private static final String RUN = "01JJ8Z5K4T3W6X7Y8Z9ABCDEF2";
    private static final String ARTIFACT = "01JJ8Z5K4T3W6X7Y8Z9ABCDEF3";
    private static final String SNAPSHOT = "01JJ8Z5K4T3W6X7Y8Z9ABCDEF4";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static SinkContract contract;

    @BeforeAll
    static void theSinksViewsWithARunAndAnArtifact() {
        String url = SinkDatabase.migrate(SharedPostgres.newDatabase("ingest_sink_contract"));
        JdbcClient sink = JdbcClient.create(new DriverManagerDataSource(url, "postgres", ""));
        sink.sql("""
                INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, executor, worker_id, work_order_event_id,
                                       constraint_snapshot_id, constraint_snapshot_digest, created_at, updated_at)
                    VALUES (:run, :issue, :repo, 'done', 'agent',
                            '{"actor": {"actor_kind": "agent", "actor_id": "w1"}, "toolchain": []}', 'w1', 'wo-1',
                            :snapshot, :digest, now(), now())""")
                .param("snapshot", SNAPSHOT).param("digest", DIGEST)
                .param("run", RUN).param("issue", ISSUE).param("repo", REPO).update();
        sink.sql("""
                INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, digest, size_bytes, created_at,
                                            updated_at)
                    VALUES (:id, :run, :issue, 'log', 'build log', 'https://example.org/log', :digest, 12, now(), now())""")
                .param("digest", DIGEST)
                .param("id", ARTIFACT).param("run", RUN).param("issue", ISSUE).update();
        contract = new SinkContract(sink);
    }

    @Test
    void everyColumnIngestReadsIsPublished() throws IOException {
        List<String> published = published();

        for (CwomTable view : List.of(SinkContract.RUNS, SinkContract.ARTIFACTS)) {
            assertThat(view.columns()).as("columns ingest reads from " + view.name() + " that " + PUBLISHED
                    + " does not publish: the sink may drop them at any time")
                    .extracting(column -> view.name() + " " + column.name())
                    .isSubsetOf(published);
        }
    }

    @Test
    void itsQueriesRunAgainstTheRealViews() {
        Run run = contract.run(RUN).orElseThrow();
        assertThat(run.status()).isEqualTo(Status.DONE);
        assertThat(run.forIssue().id()).isEqualTo(ISSUE);
        assertThat(run.repo().id()).isEqualTo(REPO);
        assertThat(contract.runs(CwomRows.filters("issue_id", ISSUE, "repo_id", REPO, "status", "done"), null, 10))
                .extracting(Run::id).containsExactly(RUN);
        assertThat(contract.runStored(RUN)).isTrue();
        assertThat(contract.runStored(ARTIFACT)).isFalse();
        assertThat(contract.runStatus(RUN)).contains(Status.DONE);
        assertThat(contract.runIssue(RUN)).contains(ISSUE);
        assertThat(contract.runIdsOfIssues(List.of(ISSUE), 10)).containsExactly(Map.entry(ISSUE, RUN));

        Artifact artifact = contract.artifact(ARTIFACT).orElseThrow();
        assertThat(artifact.producedBy().id()).isEqualTo(RUN);
        assertThat(artifact.sizeBytes()).isEqualTo(12L);
        assertThat(contract.artifacts(CwomRows.filters("run_id", RUN, "issue_id", ISSUE, "type", "log"), null, 10))
                .extracting(Artifact::id).containsExactly(ARTIFACT);
        assertThat(contract.artifactStored(ARTIFACT)).isTrue();

        assertThat(contract.runOrigin(RUN)).contains(new SinkContract.RunOrigin("w1", "wo-1"));
        assertThat(contract.runIdsPinning(DIGEST, null, 10)).containsExactly(RUN);
        assertThat(contract.runIdsPinning(DIGEST, RUN, 10)).isEmpty();
        assertThat(contract.artifactsWithDigest(DIGEST, null, 10)).extracting(Artifact::id).containsExactly(ARTIFACT);
    }

    @Test
    void everyColumnOfTheRunInputsViewIngestReadsIsPublished() throws IOException {
        assertThat(published()).contains(SinkContract.RUN_INPUTS + " run_id", SinkContract.RUN_INPUTS + " digest",
                "sink_runs_v1 worker_id", "sink_runs_v1 work_order_event_id");
    }

    /** "view column" of every row the contract publishes. */
    private static List<String> published() throws IOException {
        return Files.readAllLines(PUBLISHED).stream().map(ROW::matcher).filter(Matcher::matches)
                .map(m -> m.group(1) + " " + m.group(2)).toList();
    }
}
