package dev.cwom.artifacts.blobs;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** A {@code POST /blobs/batch} refused as a whole before its parts were stored; nothing of it was kept. */
class BlobBatchException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final @Nullable Integer part;
    private final @Nullable Long limit;

    private BlobBatchException(HttpStatus status, String code, @Nullable Integer part, @Nullable Long limit,
            String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.part = part;
        this.limit = limit;
    }

    static BlobBatchException malformed(int part, String why) {
        return new BlobBatchException(HttpStatus.BAD_REQUEST, "MALFORMED_BATCH", part, null, "Part " + part
                + " of the batch is malformed: " + why + ". Each part is '<digest> <size> <media type>\\n' followed by"
                + " exactly <size> bytes; nothing was stored");
    }

    static BlobBatchException tooMany(int maxCount) {
        return new BlobBatchException(HttpStatus.CONTENT_TOO_LARGE, "TOO_MANY_BLOBS", maxCount + 1, (long) maxCount,
                "The batch carries more than " + maxCount + " blobs (cwom.artifact.blobs.batch-max-count): send"
                        + " them in several batches; nothing was stored");
    }

    static BlobBatchException tooLarge(int part, long maxTotalBytes) {
        return new BlobBatchException(HttpStatus.CONTENT_TOO_LARGE, "BATCH_TOO_LARGE", part, maxTotalBytes,
                "The batch's blobs come to more than " + maxTotalBytes + " bytes by part " + part
                        + " (cwom.artifact.blobs.batch-max-size): send them in several batches; nothing was stored");
    }

    static BlobBatchException declaredTooLarge(long declared, long maxTotalBytes) {
        return new BlobBatchException(HttpStatus.CONTENT_TOO_LARGE, "BATCH_TOO_LARGE", null, maxTotalBytes,
                "The batch's Content-Length " + declared + " is more than its limit of " + maxTotalBytes
                        + " bytes (cwom.artifact.blobs.batch-max-size) with the header lines; nothing was stored");
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The part it is about, counted from 1; null for the batch as a whole. */
    @Nullable Integer part() {
        return part;
    }

    /** The limit exceeded, if it was one. */
    @Nullable Long limit() {
        return limit;
    }
}
