package dev.cwom.artifacts.blobs;

import dev.cwom.artifacts.ArtifactServiceProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code PUT /blobs} on behalf of a principal: its upload rate, then its storage quota, then the store.
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
        try (BlobStore.Upload upload = store.receive(body, declaredLength, expected)) {
            return publishCounted(principal, upload, mediaType, limit);
        }
    }

    private BlobStore.PutOutcome publishCounted(String principal, BlobStore.Upload upload,
            @Nullable String mediaType, long limit) throws IOException {
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                if (limit > 0) {
                    ledger.lock(principal);
                    if (!ledger.holds(principal, upload.digest())) {
                        long used = ledger.usedBytes(principal);
                        if (used + upload.sizeBytes() > limit) {
                            throw new QuotaExceededException(principal, used, upload.sizeBytes(), limit);
                        }
                    }
                }
                ledger.record(principal, upload.digest(), upload.sizeBytes());
                try {
                    return store.publish(upload, mediaType);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
