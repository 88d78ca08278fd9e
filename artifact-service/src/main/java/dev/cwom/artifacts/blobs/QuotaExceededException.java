package dev.cwom.artifacts.blobs;

/** Storing an upload would take its principal above its {@code cwom.artifact.blobs.quota}; nothing was stored. */
class QuotaExceededException extends RuntimeException {

    private final long usedBytes;
    private final long uploadBytes;
    private final long limitBytes;

    QuotaExceededException(String principal, long usedBytes, long uploadBytes, long limitBytes) {
        super("Principal '" + principal + "' stores " + usedBytes + " bytes of blobs; this upload of " + uploadBytes
                + " bytes would take it above its quota of " + limitBytes + " bytes, so nothing was stored: upload"
                + " less, or have the operator raise cwom.artifact.blobs.quota.principals.[" + principal + "].bytes"
                + " (or default-bytes)");
        this.usedBytes = usedBytes;
        this.uploadBytes = uploadBytes;
        this.limitBytes = limitBytes;
    }

    long usedBytes() {
        return usedBytes;
    }

    long uploadBytes() {
        return uploadBytes;
    }

    long limitBytes() {
        return limitBytes;
    }
}
