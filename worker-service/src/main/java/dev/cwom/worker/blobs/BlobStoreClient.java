package dev.cwom.worker.blobs;

import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.worker.WorkerProperties;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Uploads artifact bodies to artifact-service's content-addressed blob store: {@code PUT {url}/blobs} with the
 * body streamed and its media type as {@code Content-Type}; the store answers 200 or 201 with
 * {@code {digest, uri, size_bytes, media_type}}. Unreachable stores and 5xx/429 answers are retried with doubling,
 * bounded back-off; what is left is thrown as a {@link BlobStoreException} subtype that says whether to retry later.
 */
public final class BlobStoreClient {

    private static final Logger log = LoggerFactory.getLogger(BlobStoreClient.class);
    private static final String EXPECTED_DIGEST = "X-Expected-Digest";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private final WorkerProperties.Blobs settings;
    private final URI endpoint;
    private final HttpClient client;
    private final TraceHeaders traces;

    /** @param traces puts the current span's trace context (the run's) on each upload */
    public BlobStoreClient(WorkerProperties.Blobs settings, TraceHeaders traces) {
        this.settings = settings;
        this.traces = traces;
        String base = settings.url().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/blobs");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    /**
     * Uploads a file, streamed from disk, with its digest as {@code X-Expected-Digest}, and checks that the store
     * names it by the digest and size the file has.
     */
    public UploadedBlob upload(Path file, String mediaType) {
        String digest;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            digest = Digests.sha256(in);
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " to upload it", e);
        }
        UploadedBlob blob = send(() -> {
            try {
                return HttpRequest.BodyPublishers.ofFile(file);
            } catch (FileNotFoundException e) {
                throw new UncheckedIOException("File to upload is gone: " + file, e);
            }
        }, mediaType, digest, file.getFileName().toString());
        if (!blob.digest().equals(digest) || blob.sizeBytes() != size) {
            throw new BlobStoreProtocolException("Blob store stored " + file + " as " + blob.digest() + " ("
                    + blob.sizeBytes() + " bytes), but the file is " + digest + " (" + size + " bytes); the store"
                    + " does not keep bodies intact");
        }
        return blob;
    }

    /**
     * Uploads a stream. {@code body} is called once per attempt and must give the same bytes each time.
     */
    public UploadedBlob upload(Supplier<? extends InputStream> body, String mediaType) {
        return send(() -> HttpRequest.BodyPublishers.ofInputStream(body::get), mediaType, null, "stream");
    }

    private UploadedBlob send(Supplier<HttpRequest.BodyPublisher> body, String mediaType,
            @Nullable String expectedDigest, String what) {
        BlobStoreException last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                Duration wait = backoff(attempt);
                log.warn("Blob upload of {} failed (attempt {}/{}): {}; retrying in {} ms", what, attempt - 1,
                        settings.maxAttempts(), last.getMessage(), wait.toMillis());
                pause(wait, what);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", mediaType)
                    .header("Accept", "application/json")
                    .PUT(body.get());
            if (settings.token() != null && !settings.token().isBlank()) {
                request.header("Authorization", "Bearer " + settings.token());
            }
            traces.inject(request);
            if (expectedDigest != null) {
                // The store then refuses (422) a body that arrives changed, instead of storing it under another name.
                request.header(EXPECTED_DIGEST, expectedDigest);
            }
            HttpResponse<String> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = new BlobStoreUnavailableException("Blob store " + endpoint + " cannot be reached: " + e
                        + "; check that artifact-service runs and cwom.worker.blobs.url is right", e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BlobStoreUnavailableException("Upload of " + what + " to " + endpoint
                        + " was interrupted (worker shutting down)", e);
            }
            int status = response.statusCode();
            if (status == 200 || status == 201) {
                return parse(response.body());
            }
            if (status == 401 || status == 403) {
                // The worker's credentials, not the run, are wrong: retry (and redeliver) until an operator fixes them.
                last = new BlobStoreUnavailableException("Blob store " + endpoint + " refused this worker's"
                        + " credentials (" + status + "): " + excerpt(response.body()) + "; set cwom.worker.blobs.token"
                        + " to an API token with scope blobs.write");
                continue;
            }
            if (status >= 500 || status == 429) {
                last = new BlobStoreUnavailableException("Blob store " + endpoint + " answered " + status + ": "
                        + excerpt(response.body()));
                continue;
            }
            throw new BlobRejectedException("Blob store " + endpoint + " refused " + what + " (" + mediaType
                    + ") with " + status + ": " + excerpt(response.body()), status);
        }
        throw new BlobStoreUnavailableException("Gave up uploading " + what + " after " + settings.maxAttempts()
                + " attempts: " + (last == null ? "no attempt made" : last.getMessage()),
                last == null ? new IllegalStateException() : last);
    }

    private UploadedBlob parse(String body) {
        try {
            JsonNode json = CwomJson.mapper().readTree(body);
            String digest = text(json, "digest");
            String uri = text(json, "uri");
            String mediaType = text(json, "media_type");
            JsonNode size = json.path("size_bytes");
            if (digest == null || !DIGEST.matcher(digest).matches() || uri == null || mediaType == null
                    || !size.canConvertToLong()) {
                throw new BlobStoreProtocolException("Blob store " + endpoint + " answered " + excerpt(body)
                        + ", not {digest: \"sha256:<64 hex>\", uri, size_bytes, media_type}");
            }
            return new UploadedBlob(digest, endpoint.resolve(uri), size.asLong(), mediaType);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new BlobStoreProtocolException("Blob store " + endpoint + " answered with a body that is not the"
                    + " expected JSON: " + excerpt(body), e);
        }
    }

    private static @Nullable String text(JsonNode json, String field) {
        JsonNode node = json.path(field);
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private Duration backoff(int attempt) {
        Duration wait = settings.initialBackoff().multipliedBy(1L << Math.min(attempt - 2, 20));
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }

    private void pause(Duration wait, String what) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlobStoreUnavailableException("Upload of " + what + " to " + endpoint
                    + " was interrupted (worker shutting down)", e);
        }
    }

    private static String excerpt(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
