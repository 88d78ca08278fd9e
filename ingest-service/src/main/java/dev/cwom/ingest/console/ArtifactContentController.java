package dev.cwom.ingest.console;

import dev.cwom.ingest.artifacts.ArtifactService;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.Artifact;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /cwom/artifacts/{id}/content}: an Artifact's body through ingest's origin, so the console reads it
 * without CORS. Only bodies in artifact-service's blob store ({@code cwom.ingest.console.blobs-url}) are relayed, and
 * the request ingest makes is built from the digest alone (never from the stored URI), so no Artifact can point
 * ingest at another host. The caller's own {@code Authorization} header goes with it: artifact-service decides on
 * {@code blobs.read} as it would for a direct download, and ingest gains no access of its own. The body is relayed
 * as it is, never interpreted: the console checks its sha256 against the Artifact's digest itself.
 */
@RestController
class ArtifactContentController {

    private static final Pattern BLOB_PATH = Pattern.compile("/blobs/(sha256:[0-9a-f]{64})");
    /** The most of an error answer of the blob store that is relayed. */
    private static final int MAX_PROBLEM_BYTES = 64 * 1024;

    private final ArtifactService artifacts;
    private final ConsoleProperties properties;
    private final HttpClient http;

    ArtifactContentController(ArtifactService artifacts, ConsoleProperties properties) {
        this.artifacts = artifacts;
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.blobsTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @GetMapping("/cwom/artifacts/{id}/content")
    ResponseEntity<InputStreamResource> content(@PathVariable String id, HttpServletRequest request) {
        Artifact artifact = artifacts.get(id);
        String digest = blobDigest(artifact);
        HttpRequest.Builder upstream = HttpRequest.newBuilder(URI.create(base() + "/blobs/" + digest))
                .timeout(properties.blobsTimeout()).GET();
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            upstream.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        HttpResponse<InputStream> answer = send(upstream.build());
        if (answer.statusCode() != 200) {
            throw relayedError(answer);
        }
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
        answer.headers().firstValueAsLong(HttpHeaders.CONTENT_LENGTH).ifPresent(headers::setContentLength);
        headers.set(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "\"");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "sandbox");
        return new ResponseEntity<>(new InputStreamResource(answer.body()), headers, HttpStatus.OK);
    }

    /** The digest of a body stored in the configured blob store, or a 409 saying why this one is not relayed. */
    private String blobDigest(Artifact artifact) {
        String uri = artifact.uri();
        String id = Objects.requireNonNull(artifact.id());
        URI parsed;
        try {
            parsed = URI.create(uri).normalize();
        } catch (IllegalArgumentException e) {
            throw notRelayed(id, "Artifact '" + id + "' has a uri that is not a URI", uri);
        }
        URI base = URI.create(base());
        String basePath = base.getPath() == null ? "" : base.getPath();
        Matcher blob = parsed.getPath() == null || !parsed.getPath().startsWith(basePath) ? null
                : BLOB_PATH.matcher(parsed.getPath().substring(basePath.length()));
        if (!sameOrigin(parsed, base) || blob == null || !blob.matches() || parsed.getRawQuery() != null) {
            throw notRelayed(id, "Artifact '" + id + "' is not in the blob store at " + base()
                    + "; download it from its uri directly", uri);
        }
        return blob.group(1);
    }

    private String base() {
        String base = properties.blobsUrl().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "BLOB_STORE_UNAVAILABLE", "The blob store at "
                    + base() + " did not answer (" + e.getClass().getSimpleName() + "); retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "BLOB_STORE_UNAVAILABLE", "Interrupted");
        }
    }

    /**
     * A refusal of the blob store (401, 403, 404) keeps its status and code, so the console shows why; anything
     * else is a 502 naming the status it got.
     */
    private ApiProblem relayedError(HttpResponse<InputStream> answer) {
        String body;
        try (InputStream in = answer.body()) {
            body = new String(in.readNBytes(MAX_PROBLEM_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        int status = answer.statusCode();
        if (status == 401 || status == 403 || status == 404) {
            String code = field(body, "code");
            String detail = field(body, "detail");
            return new ApiProblem(HttpStatus.valueOf(status), code == null ? "BLOB_STORE_REFUSED" : code,
                    "The blob store answered " + status + (detail == null ? "" : ": " + detail),
                    Map.of("blob_store_status", status));
        }
        return new ApiProblem(HttpStatus.BAD_GATEWAY, "BLOB_STORE_ERROR", "The blob store answered " + status
                + "; retry later", Map.of("blob_store_status", status));
    }

    private static @Nullable String field(String problemJson, String name) {
        try {
            var value = dev.cwom.json.CwomJson.mapper().readTree(problemJson).path(name);
            return value.isString() ? value.asString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ApiProblem notRelayed(String id, String detail, @Nullable String uri) {
        return ApiProblem.conflict("NOT_RELAYED", detail, uri == null ? Map.of("id", id) : Map.of("id", id,
                "uri", uri));
    }
}
