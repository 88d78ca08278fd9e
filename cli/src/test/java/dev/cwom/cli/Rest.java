package dev.cwom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import dev.cwom.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/**
 * What the tests set up through the services' own APIs, as an agent or a worker would: Repos and Issues, Runs and
 * Artifacts reported over REST (stored by the real sink: {@code ?wait} answers once it has), blobs uploaded.
 */
final class Rest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Rest() {
    }

    static JsonNode send(String method, String url, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TestTokens.ALL)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + url + ": " + response.body()).isBetween(200, 201);
            return CwomJson.mapper().readTree(response.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode ingest(String method, String path, String json) {
        return send(method, CliServices.ingestUrl() + path, json);
    }

    static String repo() {
        return ingest("POST", "/cwom/repos", """
                {"name": "cli", "slug": "acme/cli-%s"}""".formatted(Ids.newUlid().toLowerCase())).get("id").asString();
    }

    static String issue(String repo, String status) {
        return ingest("POST", "/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Try the CLI", "type": "research", "status": "%s"}"""
                .formatted(repo, status)).get("id").asString();
    }

    /** A Run reported running, stored by the sink before this returns (201). */
    static String runningRun(String issue, String repo) {
        String run = Ids.newUlid();
        ingest("POST", "/cwom/runs?wait=30", """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "running"}""".formatted(run, issue, repo));
        return run;
    }

    static void finishRun(String run, String status) {
        String failure = "failed".equals(status) ? ", \"failure\": {\"category\": \"test\", \"message\": \"red\"}" : "";
        ingest("PATCH", "/cwom/runs/" + run + "?wait=30", """
                {"status": "%s"%s}""".formatted(status, failure));
    }

    /** An Artifact reported for the run, stored by the sink before this returns. */
    static String artifact(String run, String issue, String type, String uri, String digest) {
        String id = Ids.newUlid();
        ingest("POST", "/cwom/artifacts?wait=30", """
                {"id": "%s", "produced_by": {"kind": "Run", "id": "%s"}, "for_issue": {"kind": "Issue", "id": "%s"},
                 "type": "%s", "title": "a %s", "uri": "%s", "digest": "%s"}"""
                .formatted(id, run, issue, type, type, uri, digest));
        return id;
    }

    /** Uploads a body to artifact-service's blob store: its {digest, uri, ...}. */
    static JsonNode blob(byte[] body, String mediaType) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(CliServices.blobsUrl() + "/blobs"))
                .header("Authorization", "Bearer " + TestTokens.ALL).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
            return CwomJson.mapper().readTree(response.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
