package dev.cwom.artifacts.blobs;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.cwom.artifacts.ArtifactServiceProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** HTTP face of the {@link BlobStore}. GET mappings answer HEAD too, without the body. */
@RestController
@RequestMapping("/blobs")
class BlobController {

    static final String EXPECTED_DIGEST_HEADER = "X-Expected-Digest";

    // Content never changes under a digest, so caches may keep it as long as they like.
    private static final int BATCH_BUFFER_BYTES = 64 * 1024;

    private static final CacheControl IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    private final BlobStore store;
    private final BlobUploads uploads;
    private final BlobMetrics metrics;
    private final int batchMaxCount;
    private final long batchMaxBytes;

    BlobController(BlobStore store, BlobUploads uploads, BlobMetrics metrics, ArtifactServiceProperties properties) {
        this.store = store;
        this.uploads = uploads;
        this.metrics = metrics;
        this.batchMaxCount = properties.blobs().batchMaxCount();
        this.batchMaxBytes = properties.blobs().batchMaxSize().toBytes();
    }

    /** The principal is the servlet request's (filled by the security filters); without one, {@code anonymous}. */
    @PutMapping
    ResponseEntity<BlobReceipt> put(HttpServletRequest request, @Nullable Principal principal,
            @RequestHeader(name = EXPECTED_DIGEST_HEADER, required = false) @Nullable String expectedHeader,
            @RequestParam(name = "digest", required = false) @Nullable String expectedParam) throws IOException {
        BlobDigest expected = expectedDigest(expectedHeader, expectedParam);
        String contentType = request.getContentType();
        String mediaType = contentType == null ? null : MediaType.parseMediaType(contentType).toString();
        // The servlet stream, read chunk by chunk: the body never sits in memory as a whole.
        BlobStore.PutOutcome outcome = uploads.put(BlobUploads.nameOf(principal),
                request.getInputStream(), request.getContentLengthLong(), mediaType, expected);
        metrics.uploaded(outcome.created(), outcome.blob().sizeBytes());
        URI uri = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/blobs/{digest}").buildAndExpand(outcome.blob().digest().toString()).toUri();
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(uri)
                .body(BlobReceipt.of(outcome.blob(), uri));
    }

    /**
     * Several blobs in one request ({@link BlobBatch}'s framing), each verified against its digest and stored
     * content-addressed, all or none; answers their receipts in the order sent, each saying whether this request
     * stored it. Idempotent like {@code PUT}: sending the same batch again stores nothing new.
     */
    @PostMapping(path = "/batch", consumes = BlobBatch.MEDIA_TYPE)
    BatchReceipt putAll(HttpServletRequest request, @Nullable Principal principal) throws IOException {
        long declared = request.getContentLengthLong();
        long headers = (long) batchMaxCount * (BlobBatch.MAX_HEADER_BYTES + 1);
        if (declared > batchMaxBytes + headers) {
            throw BlobBatchException.declaredTooLarge(declared, batchMaxBytes);
        }
        BlobBatch batch = new BlobBatch(new BufferedInputStream(request.getInputStream(), BATCH_BUFFER_BYTES),
                batchMaxCount, batchMaxBytes);
        List<BlobStore.PutOutcome> outcomes = uploads.putAll(BlobUploads.nameOf(principal), batch);
        List<BatchReceipt.Stored> stored = new ArrayList<>();
        for (BlobStore.PutOutcome outcome : outcomes) {
            metrics.uploaded(outcome.created(), outcome.blob().sizeBytes());
            URI uri = ServletUriComponentsBuilder.fromCurrentContextPath()
                    .path("/blobs/{digest}").buildAndExpand(outcome.blob().digest().toString()).toUri();
            stored.add(new BatchReceipt.Stored(BlobReceipt.of(outcome.blob(), uri), outcome.created()));
        }
        return new BatchReceipt(stored);
    }

    /**
     * The answer to {@code POST /blobs/batch}: a receipt per part, in the order sent.
     *
     * @param blobs each part's receipt and whether this request stored it ({@code created}) or it was there already
     */
    record BatchReceipt(List<Stored> blobs) {

        record Stored(@JsonUnwrapped BlobReceipt receipt, boolean created) {
        }
    }

    @GetMapping("/{digest}")
    ResponseEntity<Resource> get(HttpServletRequest request, @PathVariable String digest) throws IOException {
        BlobDigest name = BlobDigest.parse(digest);
        StoredBlob blob = store.stat(name).orElseThrow(() -> new BlobNotFoundException(name));
        if (HttpMethod.GET.matches(request.getMethod())) {
            metrics.served(blob.sizeBytes());
        }
        MediaType mediaType = MediaType.parseMediaType(blob.mediaType());
        // With an ETag set, Spring answers If-None-Match itself with 304.
        return ResponseEntity.ok()
                .eTag(name.toString())
                .cacheControl(IMMUTABLE)
                .contentType(mediaType)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        BlobServingHeaders.contentDisposition(name, mediaType).toString())
                .contentLength(blob.sizeBytes())
                .body(new FileSystemResource(blob.path()));
    }

    private static @Nullable BlobDigest expectedDigest(@Nullable String header, @Nullable String param) {
        BlobDigest fromHeader = header == null ? null : BlobDigest.parse(header);
        BlobDigest fromParam = param == null ? null : BlobDigest.parse(param);
        if (fromHeader != null && fromParam != null && !fromHeader.equals(fromParam)) {
            throw new ConflictingExpectationException(fromHeader, fromParam);
        }
        return fromHeader != null ? fromHeader : fromParam;
    }

    /** The header and the query parameter name different expected digests. */
    static class ConflictingExpectationException extends RuntimeException {

        ConflictingExpectationException(BlobDigest header, BlobDigest param) {
            super(EXPECTED_DIGEST_HEADER + " " + header + " and ?digest=" + param
                    + " disagree: send the expected digest once, in either place");
        }
    }
}
