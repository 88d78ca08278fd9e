package dev.cwom.artifacts.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.artifacts.sink.SinkFixtures;
import dev.cwom.model.Ids;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The janitor against the real database and a blob root of its own; ages come from a fixed clock and file times set
 * explicitly, never from waiting.
 */
class BlobJanitorTests extends ArtifactServiceTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Duration INCOMING_MAX_AGE = Duration.ofHours(1);
    private static final Duration RETENTION = Duration.ofDays(7);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BlobUploadLedger ledger;

    @TempDir
    Path root;

    BlobStore store;
    SinkFixtures.Issue issue;
    String runId;

    @BeforeEach
    void storeAndRun() {
        store = new BlobStore(root, 1024 * 1024);
        try (SinkFixtures fixtures = new SinkFixtures(jdbc)) {
            issue = fixtures.issue();
        }
        runId = Ids.newUlid();
        jdbc.update("INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, created_at, updated_at)"
                + " VALUES (?, ?, ?, 'done', 'agent', now(), now())", runId, issue.issueId(), issue.repoId());
    }

    @Test
    void deletesIncomingFilesNotWrittenForTheMaxAgeAndKeepsYoungerOnes() throws Exception {
        Path dead = incomingFile("upload-1.part", 100, NOW.minus(INCOMING_MAX_AGE).minusSeconds(1));
        Path deadMeta = incomingFile("meta-2.part", 24, NOW.minus(Duration.ofDays(3)));
        Path young = incomingFile("upload-3.part", 50, NOW.minus(INCOMING_MAX_AGE).plusSeconds(60));

        BlobJanitor.Sweep sweep = janitor(Duration.ZERO).sweep();

        assertThat(dead).doesNotExist();
        assertThat(deadMeta).doesNotExist();
        assertThat(young).exists();
        assertThat(sweep).isEqualTo(new BlobJanitor.Sweep(2, 124, 0, 0));
    }

    @Test
    void anUploadStillReceivingKeepsItsTempFileYoungAndIsNotDisturbed() throws Exception {
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(client, 64 * 1024);
        CompletableFuture<BlobStore.PutOutcome> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return store.put(body, -1, "text/plain", null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        client.write("first chunk ".getBytes(StandardCharsets.UTF_8));
        client.flush();
        Path temp = await().atMost(10, TimeUnit.SECONDS).until(this::onlyIncomingFileWithBytes, p -> p != null);
        // As if the upload had been idle for two hours: the next chunk written must renew the time.
        Instant stale = Instant.now().minus(Duration.ofHours(2));
        Files.setLastModifiedTime(temp, FileTime.from(stale));
        client.write("second chunk".getBytes(StandardCharsets.UTF_8));
        client.flush();
        await().atMost(10, TimeUnit.SECONDS).until(() -> Files.getLastModifiedTime(temp).toInstant()
                .isAfter(stale.plus(Duration.ofHours(1))));

        BlobJanitor.Sweep sweep = new BlobJanitor(store, jdbc, ledger, Clock.systemUTC(), INCOMING_MAX_AGE, Duration.ZERO)
                .sweep();
        client.close();

        assertThat(sweep.incomingFiles()).isZero();
        BlobStore.PutOutcome outcome = upload.get(10, TimeUnit.SECONDS);
        assertThat(outcome.created()).isTrue();
        assertThat(Files.readString(outcome.blob().path())).isEqualTo("first chunk second chunk");
    }

    @Test
    void deletesOldUnreferencedBlobsAndKeepsReferencedAndYoungOnes() throws Exception {
        Instant old = NOW.minus(RETENTION).minusSeconds(1);
        BlobDigest orphan = blob("orphan", old);
        BlobDigest byDigest = blob("referenced by digest", old);
        BlobDigest byUri = blob("referenced by uri only", old);
        BlobDigest young = blob("young orphan", NOW.minus(RETENTION).plusSeconds(60));
        artifact("http://artifacts:8083/blobs/sha256:" + "0".repeat(64), byDigest.toString());
        artifact("http://artifacts:8083/blobs/" + byUri.hex().toUpperCase(), null);
        Path orphanFile = store.find(orphan).orElseThrow();
        long orphanBytes = Files.size(orphanFile);

        BlobJanitor.Sweep sweep = janitor(RETENTION).sweep();

        assertThat(store.find(orphan)).isEmpty();
        assertThat(orphanFile.resolveSibling(orphan.hex() + ".media-type")).doesNotExist();
        assertThat(store.find(byDigest)).isPresent();
        assertThat(store.find(byUri)).isPresent();
        assertThat(store.find(young)).isPresent();
        assertThat(sweep).isEqualTo(new BlobJanitor.Sweep(0, 0, 1, orphanBytes));
        assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void deletingAnOrphanGivesItsBytesBackToEveryPrincipalThatStoredIt() throws Exception {
        Instant old = NOW.minus(RETENTION).minusSeconds(1);
        BlobDigest orphan = blob("an orphan two principals stored", old);
        BlobDigest kept = blob("a blob an artifact refers to", old);
        artifact("http://artifacts:8083/blobs/" + kept, kept.toString());
        long orphanBytes = Files.size(store.find(orphan).orElseThrow());
        long keptBytes = Files.size(store.find(kept).orElseThrow());
        ledger.record("janitor-ci", orphan, orphanBytes);
        ledger.record("janitor-ci", kept, keptBytes);
        ledger.record("janitor-agent", orphan, orphanBytes);

        janitor(RETENTION).sweep();

        assertThat(store.find(orphan)).isEmpty();
        assertThat(ledger.usedBytes("janitor-ci")).isEqualTo(keptBytes);
        assertThat(ledger.usedBytes("janitor-agent")).isZero();
        assertThat(ledger.holds("janitor-ci", kept)).isTrue();
    }

    @Test
    void withoutRetentionNoBlobIsDeleted() throws Exception {
        BlobDigest orphan = blob("an orphan from long ago", NOW.minus(Duration.ofDays(3650)));

        BlobJanitor.Sweep sweep = janitor(Duration.ZERO).sweep();

        assertThat(store.find(orphan)).isPresent();
        assertThat(sweep.orphans()).isZero();
    }

    @Test
    void uploadingAnOldOrphansContentAgainKeepsIt() throws Exception {
        BlobDigest orphan = blob("a retried worker's identical trace", NOW.minus(Duration.ofDays(30)));

        byte[] again = "a retried worker's identical trace".getBytes(StandardCharsets.UTF_8);
        BlobStore.PutOutcome outcome = store.put(new ByteArrayInputStream(again), again.length, "text/plain", null);
        BlobJanitor.Sweep sweep = new BlobJanitor(store, jdbc, ledger, Clock.systemUTC(), INCOMING_MAX_AGE, RETENTION).sweep();

        assertThat(outcome.created()).isFalse();
        assertThat(store.find(orphan)).isPresent();
        assertThat(sweep.orphans()).isZero();
    }

    @Test
    void theReferenceQueryUsesIndexesAmongManyArtifacts() {
        jdbc.update("INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, digest, created_at,"
                + " updated_at) SELECT upper(substr(md5(random()::text || g), 1, 26)), ?, ?, 'trace', 't',"
                + " 'http://artifacts/blobs/sha256:' || encode(sha256(g::text::bytea), 'hex'),"
                + " 'sha256:' || encode(sha256(g::text::bytea), 'hex'), now(), now()"
                + " FROM generate_series(1, 20000) g", runId, issue.issueId());
        jdbc.execute("ANALYZE cwom_artifacts");

        List<String> plan = jdbc.queryForList("EXPLAIN " + BlobJanitor.REFERENCED, String.class,
                (Object) new String[] {"a".repeat(64), "b".repeat(64)});

        assertThat(String.join("\n", plan)).doesNotContain("Seq Scan on cwom_artifacts")
                .contains("ix_cwom_artifacts_digest", "ix_cwom_artifacts_uri_blob");
    }

    private BlobJanitor janitor(Duration retention) {
        return new BlobJanitor(store, jdbc, ledger, Clock.fixed(NOW, ZoneOffset.UTC), INCOMING_MAX_AGE, retention);
    }

    private Path incomingFile(String name, int bytes, Instant modified) throws IOException {
        Path file = store.root().resolve("incoming").resolve(name);
        Files.write(file, new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private BlobDigest blob(String content, Instant modified) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        BlobDigest digest = store.put(new ByteArrayInputStream(bytes), bytes.length, "text/plain", null)
                .blob().digest();
        Files.setLastModifiedTime(store.find(digest).orElseThrow(), FileTime.from(modified));
        return digest;
    }

    private void artifact(String uri, @Nullable String digest) {
        jdbc.update("INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, digest, created_at, updated_at)"
                + " VALUES (?, ?, ?, 'trace', 'janitor test', ?, ?, now(), now())",
                Ids.newUlid(), runId, issue.issueId(), uri, digest);
    }

    private @Nullable Path onlyIncomingFileWithBytes() throws IOException {
        List<Path> files = incomingFiles();
        return files.size() == 1 && Files.size(files.get(0)) > 0 ? files.get(0) : null;
    }

    private List<Path> incomingFiles() throws IOException {
        try (Stream<Path> files = Files.list(store.root().resolve("incoming"))) {
            return files.toList();
        }
    }
}
