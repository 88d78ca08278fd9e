package dev.cwom.ingest.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.model.Ids;
import dev.cwom.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /cwom/artifacts/{id}/content}: the body of an Artifact in the blob store comes through ingest's origin
 * byte for byte, with the caller's own token relayed; nothing else is fetched, whatever an Artifact's uri says.
 */
class ArtifactContentTests extends ConsoleApiTest {

    private final FakeBlobStore store = FakeBlobStore.get();

    @Test
    void relaysTheStoredBodyWithTheCallersToken() throws Exception {
        byte[] body = ("# Report " + Ids.newUlid() + "\nall done\n").getBytes(StandardCharsets.UTF_8);
        String digest = sha256(body);
        store.put(digest, body);
        String artifact = insertArtifact(store.url() + "/blobs/" + digest, digest);

        Http.Response response = http.get("/cwom/artifacts/" + artifact + "/content");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(response.contentType()).isEqualTo("application/octet-stream");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                value -> assertThat(value).startsWith("attachment"));
        assertThat(store.requests).contains(new FakeBlobStore.Request("/blobs/" + digest, "Bearer " + TestTokens.ALL));
    }

    @Test
    void theBlobStoresRefusalIsTheCallers() throws Exception {
        byte[] body = "secret".getBytes(StandardCharsets.UTF_8);
        String digest = sha256(body);
        store.put(digest, body);
        String artifact = insertArtifact(store.url() + "/blobs/" + digest, digest);

        // cwom.read lets the caller through ingest; the store wants blobs.read, which this token lacks
        Http.Response response = new Http(port, TestTokens.withScope("cwom.read"))
                .get("/cwom/artifacts/" + artifact + "/content");

        problem(response, 403, "INSUFFICIENT_SCOPE");
        assertThat(response.body()).doesNotContain("secret");
    }

    @Test
    void anArtifactOutsideTheBlobStoreIsNotFetched() {
        String digest = "sha256:" + "ab".repeat(32);
        for (String uri : new String[] {"https://elsewhere.example/blobs/" + digest,
            store.url() + "/admin/" + digest, store.url() + "/blobs/" + digest + "?x=1",
            store.url() + "/blobs/../admin/" + digest, "http://127.0.0.1:1/blobs/" + digest, "file:///etc/passwd"}) {
            int before = store.requests.size();
            String artifact = insertArtifact(uri, digest);

            problem(http.get("/cwom/artifacts/" + artifact + "/content"), 409, "NOT_RELAYED");
            assertThat(store.requests).as(uri).hasSize(before);
        }
    }

    @Test
    void anUnknownArtifactIs404() {
        problem(http.get("/cwom/artifacts/" + Ids.newUlid() + "/content"), 404, "NOT_FOUND");
    }

    /** An Artifact as artifact-service stores it (its table, read through the sink views). */
    private String insertArtifact(String uri, String digest) {
        String repo = createRepo();
        String issue = createIssue(repo);
        String run = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, executor, telemetry, worker_id,
                                               created_at, updated_at)
                        VALUES (:id, :issue, :repo, 'done', 'agent',
                                '{"actor": {"actor_kind": "agent", "actor_id": "w1"}, "toolchain": []}',
                                '{}', 'worker-1', now(), now())""")
                .param("id", run).param("issue", issue).param("repo", repo).update();
        String id = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, digest, size_bytes,
                                                    created_at, updated_at)
                        VALUES (:id, :run, :issue, 'report', 'Report', :uri, :digest, 1, now(), now())""")
                .param("id", id).param("run", run).param("issue", issue).param("uri", uri).param("digest", digest)
                .update();
        return id;
    }

    private static String sha256(byte[] body) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
