package dev.cwom.artifacts.blobs;

/** No blob with the requested digest is stored. */
class BlobNotFoundException extends RuntimeException {

    BlobNotFoundException(BlobDigest digest) {
        super("No blob " + digest + " is stored here: upload it with PUT /blobs first, or check the digest");
    }
}
