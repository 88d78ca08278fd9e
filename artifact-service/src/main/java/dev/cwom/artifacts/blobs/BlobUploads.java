package dev.cwom.artifacts.blobs;

import dev.cwom.artifacts.ArtifactServiceProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code PUT /blobs} and {@code POST /blobs/batch} on behalf of a principal: its upload rate, then its storage quota,
 * then the store.
 *
 * <p>The quota is checked twice. Before a byte of the body is read, when the client declared a
 * {@code Content-Length}: the bytes it uses plus the declared length must fit (unless it names with
 * {@code X-Expected-Digest} a blob it has stored already, which costs nothing). And once the body is received and
 * hashed, before it becomes visible, in one transaction under a per-principal lock: a blob the principal stored
 * before costs nothing, any other (even one stored by someone else) costs its size. The row that counts it is
 * written in the same transaction that renames the file into place, so a failed rename leaves no row; a crash after
 * the rename and before the commit leaves a blob counted for nobody, never a row without its blob.
 */
class BlobUploads {

    /** The principal of an unauthenticated request. */
    static final String ANONYMOUS = "anonymous";

    private final BlobStore store;
    private final BlobUploadLedger ledger;
    private final UploadRateLimiter rate;
    private final ArtifactServiceProperties.Quota quota;
    private final TransactionTemplate transactions;

    BlobUploads(BlobStore store, BlobUploadLedger ledger, UploadRateLimiter rate,
            ArtifactServiceProperties.Quota quota, TransactionTemplate transactions) {
        this.store = store;
        this.ledger = ledger;
        this.rate = rate;
        this.quota = quota;
        this.transactions = transactions;
    }

    /** The name uploads are counted under: the authenticated principal's, else {@link #ANONYMOUS}. */
    static String nameOf(@Nullable Principal principal) {
        return principal == null || principal.getName() == null || principal.getName().isBlank()
                ? ANONYMOUS : principal.getName();
    }

    /**
     * Stores {@code body} for {@code principal}, as {@link BlobStore#put} does.
     *
     * @throws UploadRateExceededException when the principal started too many uploads this minute
     * @throws QuotaExceededException when the blob would take the principal above its quota
     */
    BlobStore.PutOutcome put(String principal, InputStream body, long declaredLength, @Nullable String mediaType,
            @Nullable BlobDigest expected) throws IOException {
        rate.acquire(principal);
        long limit = quota.bytesFor(principal);
        if (limit > 0 && declaredLength >= 0 && (expected == null || !ledger.holds(principal, expected))) {
            long used = ledger.usedBytes(principal);
            if (used + declaredLength > limit) {
                throw new QuotaExceededException(principal, used, declaredLength, limit);
            }
        }
        try (ReceivedBlob upload = store.receive(body, declaredLength, expected)) {
            return publishCounted(principal, upload, mediaType, limit);
        }
    }

    /**
     * Stores every part of {@code batch} for {@code principal}, or none: each part is held to the rate and the quota
     * as a single upload is and received (hashed against its digest, fsynced) into {@code incoming/}; only when all
     * are, they are counted and published in one transaction. A refused part throws {@link BlobBatchPartException}
     * with the part's number and what a single upload would have been refused with; what was received is discarded.
     */
    List<BlobStore.PutOutcome> putAll(String principal, BlobBatch batch) throws IOException {
        long limit = quota.bytesFor(principal);
        List<ReceivedBlob> received = new ArrayList<>();
        List<String> mediaTypes = new ArrayList<>();
        try {
            long used = limit > 0 ? ledger.usedBytes(principal) : 0;
            long declared = 0;
            for (BlobBatch.Part part = batch.next(); part != null; part = batch.next()) {
                try {
                    rate.acquire(principal);
                    // before its bytes are read, as for a single upload with a Content-Length
                    if (limit > 0 && !ledger.holds(principal, part.digest())) {
                        declared += part.sizeBytes();
                        if (used + declared > limit) {
                            throw new QuotaExceededException(principal, used, declared, limit);
                        }
                    }
                    received.add(store.receive(part.body(), part.sizeBytes(), part.digest()));
                    mediaTypes.add(part.mediaType());
                } catch (UploadRateExceededException | QuotaExceededException | BlobTooLargeException
                        | DigestMismatchException | UploadInterruptedException e) {
                    throw new BlobBatchPartException(part.number(), e);
                }
            }
            return publishCounted(principal, received, mediaTypes, limit);
        } finally {
            for (ReceivedBlob upload : received) {
                upload.close();
            }
        }
    }

    private BlobStore.PutOutcome publishCounted(String principal, ReceivedBlob upload,
            @Nullable String mediaType, long limit) throws IOException {
        return publishCounted(principal, List.of(upload), Collections.singletonList(mediaType), limit).getFirst();
    }

    /** Counts and publishes {@code uploads} in one transaction, under the principal's lock when it has a quota. */
    private List<BlobStore.PutOutcome> publishCounted(String principal, List<ReceivedBlob> uploads,
            List<@Nullable String> mediaTypes, long limit) throws IOException {
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                if (limit > 0) {
                    ledger.lock(principal);
                    long used = ledger.usedBytes(principal);
                    long adding = 0;
                    Set<BlobDigest> counted = new HashSet<>();
                    for (ReceivedBlob upload : uploads) {
                        if (counted.add(upload.digest()) && !ledger.holds(principal, upload.digest())) {
                            adding += upload.sizeBytes();
                        }
                    }
                    if (used + adding > limit) {
                        throw new QuotaExceededException(principal, used, adding, limit);
                    }
                }
                List<BlobStore.PutOutcome> outcomes = new ArrayList<>();
                for (int i = 0; i < uploads.size(); i++) {
                    ReceivedBlob upload = uploads.get(i);
                    ledger.record(principal, upload.digest(), upload.sizeBytes());
                    try {
                        outcomes.add(store.publish(upload, mediaTypes.get(i)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return outcomes;
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
