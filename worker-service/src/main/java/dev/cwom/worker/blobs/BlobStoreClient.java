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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Uploads artifact bodies to artifact-service's content-addressed blob store: files in one batch,
 * {@code POST {url}/blobs/batch}, each with its digest, streamed from disk (the store answers 200 with
 * {@code {blobs: [{digest, uri, size_bytes, media_type, created}]}}); a stream alone with {@code PUT {url}/blobs}
 * and its media type as {@code Content-Type} (answered 200 or 201 with {@code {digest, uri, size_bytes,
 * media_type}}). Unreachable stores and 5xx/429 answers are retried with doubling,
 * bounded back-off; what is left is thrown as a {@link BlobStoreException} subtype that says whether to retry later.
 */
public final class BlobStoreClient {

    private static final Logger log = LoggerFactory.getLogger(BlobStoreClient.class);
    private static final String BATCH_MEDIA_TYPE = "application/vnd.cwom.blob-batch";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private final WorkerProperties.Blobs settings;
    private final URI endpoint;
    private final URI batchEndpoint;
    private final HttpClient client;
    private final TraceHeaders traces;

    /** @param traces puts the current span's trace context (the run's) on each upload */
    public BlobStoreClient(WorkerProperties.Blobs settings, TraceHeaders traces) {
        this.settings = settings;
        this.traces = traces;
        String base = settings.url().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/blobs");
        this.batchEndpoint = URI.create(endpoint + "/batch");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    /**
     * Uploads a file, streamed from disk, and checks that the store names it by the digest and size the file has: a
     * batch of one ({@link #uploadAll}).
     */
    public UploadedBlob upload(Path file, String mediaType) {
        return uploadAll(List.of(new BlobFile(file, mediaType))).getFirst();
    }

    /**
     * Uploads files in one request, {@code POST {url}/blobs/batch}: each part a line {@code <digest> <size> <media
     * type>} and the file's bytes, streamed from disk. The store verifies every part against its digest and stores all
     * or none; this checks that it names each by the digest and size the file has. What a run uploads (its outputs and
     * its trace bundle) goes in one such request.
     */
    public List<UploadedBlob> uploadAll(List<BlobFile> files) {
        List<Part> parts = new ArrayList<>();
        for (BlobFile file : files) {
            try (InputStream in = Files.newInputStream(file.path())) {
                parts.add(new Part(file, Digests.sha256(in), Files.size(file.path())));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file.path() + " to upload it", e);
            }
        }
        String what = parts.size() == 1 ? parts.getFirst().file().path().getFileName().toString()
                : parts.size() + " files (" + String.join(", ", parts.stream()
                        .map(p -> p.file().path().getFileName().toString()).toList()) + ")";
        List<UploadedBlob> blobs = send(() -> HttpRequest.newBuilder(batchEndpoint)
                .header("Content-Type", BATCH_MEDIA_TYPE)
                .POST(batchBody(parts)), what, this::parseBatch);
        if (blobs.size() != parts.size()) {
            throw new BlobStoreProtocolException("Blob store " + batchEndpoint + " answered " + blobs.size()
                    + " receipts for a batch of " + parts.size());
        }
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            UploadedBlob blob = blobs.get(i);
            if (!blob.digest().equals(part.digest()) || blob.sizeBytes() != part.sizeBytes()) {
                throw new BlobStoreProtocolException("Blob store stored " + part.file().path() + " as "
                        + blob.digest() + " (" + blob.sizeBytes() + " bytes), but the file is " + part.digest() + " ("
                        + part.sizeBytes() + " bytes); the store does not keep bodies intact");
            }
        }
        return blobs;
    }

    /**
     * Uploads a stream. {@code body} is called once per attempt and must give the same bytes each time.
     */
    public UploadedBlob upload(Supplier<? extends InputStream> body, String mediaType) {
        return send(() -> HttpRequest.newBuilder(endpoint)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofInputStream(body::get)), "stream", this::parse);
    }

    private static HttpRequest.BodyPublisher batchBody(List<Part> parts) {
        List<HttpRequest.BodyPublisher> publishers = new ArrayList<>();
        for (Part part : parts) {
            publishers.add(HttpRequest.BodyPublishers.ofByteArray((part.digest() + " " + part.sizeBytes() + " "
                    + part.file().mediaType() + "\n").getBytes(StandardCharsets.US_ASCII)));
            try {
                publishers.add(HttpRequest.BodyPublishers.ofFile(part.file().path()));
            } catch (FileNotFoundException e) {
                throw new UncheckedIOException("File to upload is gone: " + part.file().path(), e);
            }
        }
        return HttpRequest.BodyPublishers.concat(publishers.toArray(HttpRequest.BodyPublisher[]::new));
    }

    private <T> T send(Supplier<HttpRequest.Builder> newRequest, String what, Function<String, T> parse) {
        BlobStoreException last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                Duration wait = backoff(attempt);
                log.warn("Blob upload of {} failed (attempt {}/{}): {}; retrying in {} ms", what, attempt - 1,
                        settings.maxAttempts(), last.getMessage(), wait.toMillis());
                pause(wait, what);
            }
            HttpRequest.Builder request = newRequest.get()
                    .timeout(settings.requestTimeout())
                    .header("Accept", "application/json");
            if (settings.token() != null && !settings.token().isBlank()) {
                request.header("Authorization", "Bearer " + settings.token());
            }
            traces.inject(request);
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
                return parse.apply(response.body());
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
            throw new BlobRejectedException("Blob store " + endpoint + " refused " + what + " with " + status + ": "
                    + excerpt(response.body()), status);
        }
        throw new BlobStoreUnavailableException("Gave up uploading " + what + " after " + settings.maxAttempts()
                + " attempts: " + (last == null ? "no attempt made" : last.getMessage()),
                last == null ? new IllegalStateException() : last);
    }

    private List<UploadedBlob> parseBatch(String body) {
        try {
            JsonNode blobs = CwomJson.mapper().readTree(body).path("blobs");
            if (!blobs.isArray()) {
                throw new BlobStoreProtocolException("Blob store " + batchEndpoint + " answered " + excerpt(body)
                        + ", not {blobs: [...]}");
            }
            List<UploadedBlob> uploaded = new ArrayList<>();
            for (JsonNode blob : blobs) {
                uploaded.add(receipt(blob, body));
            }
            return uploaded;
        } catch (JacksonException e) {
            throw new BlobStoreProtocolException("Blob store " + batchEndpoint + " answered with a body that is not the"
                    + " expected JSON: " + excerpt(body), e);
        }
    }

    private UploadedBlob parse(String body) {
        try {
            return receipt(CwomJson.mapper().readTree(body), body);
        } catch (JacksonException e) {
            throw new BlobStoreProtocolException("Blob store " + endpoint + " answered with a body that is not the"
                    + " expected JSON: " + excerpt(body), e);
        }
    }

    /** One receipt, {@code {digest, uri, size_bytes, media_type}}, checked; {@code body} is the whole answer. */
    private UploadedBlob receipt(JsonNode json, String body) {
        try {
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
        } catch (IllegalArgumentException e) {
            throw new BlobStoreProtocolException("Blob store " + endpoint + " answered with a body that is not the"
                    + " expected JSON: " + excerpt(body), e);
        }
    }

    private static @Nullable String text(JsonNode json, String field) {
        JsonNode node = json.path(field);
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    /** A file to upload and the media type to store it with. */
    public record BlobFile(Path path, String mediaType) {
    }

    private record Part(BlobFile file, String digest, long sizeBytes) {
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
