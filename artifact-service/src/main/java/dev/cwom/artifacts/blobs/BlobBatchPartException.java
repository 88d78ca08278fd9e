package dev.cwom.artifacts.blobs;

/**
 * One part of a {@code POST /blobs/batch} refused as a single upload of it would have been (digest mismatch, too
 * large, over the quota, cut short): answered with that problem plus the part's number. Nothing of the batch was kept.
 */
class BlobBatchPartException extends RuntimeException {

    private final int part;

    BlobBatchPartException(int part, RuntimeException cause) {
        super("Part " + part + " of the batch: " + cause.getMessage(), cause);
        this.part = part;
    }

    /** The part, counted from 1. */
    int part() {
        return part;
    }

    /** What a single upload of the part would have been refused with. */
    RuntimeException refusal() {
        return (RuntimeException) getCause();
    }
}
