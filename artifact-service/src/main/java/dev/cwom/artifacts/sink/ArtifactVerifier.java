package dev.cwom.artifacts.sink;

import dev.cwom.artifacts.blobs.BlobDigest;
import dev.cwom.artifacts.blobs.BlobStore;
import dev.cwom.artifacts.blobs.MalformedDigestException;
import dev.cwom.json.Digests;
import dev.cwom.model.Artifact;
import dev.cwom.model.VerificationStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/**
 * Checks an artifact whose body lives in this service's blob store: the stored bytes' sha256 must equal the
 * artifact's digest. A missing blob or a mismatch gives a {@code failed} check (the artifact is still stored);
 * artifacts elsewhere (a PR link, an image in a registry) stay {@code unverified}. The hashing runs on the sink's
 * consumer thread, so a blob above {@code maxSize} is not hashed: its artifact stays {@code unverified} with a
 * note saying why, rather than holding the poll loop past {@code max.poll.interval.ms}.
 */
public class ArtifactVerifier {

    static final String CHECK_NAME = "sha256";
    private static final String BLOB_PATH = "/blobs/";
    private static final Logger log = LoggerFactory.getLogger(ArtifactVerifier.class);

    private final BlobStore store;
    private final @Nullable String publicBlobPrefix;
    private final DataSize maxSize;

    /**
     * @param store the blob store of this service
     * @param publicBaseUrl the address clients reach this service at, or null when only {@code /blobs/sha256:}
     *     paths identify its blobs
     * @param maxSize largest blob that is hashed ({@code cwom.artifact.sink.verify-max-size})
     */
    public ArtifactVerifier(BlobStore store, @Nullable URI publicBaseUrl, DataSize maxSize) {
        this.store = store;
        this.publicBlobPrefix = publicBaseUrl == null ? null
                : publicBaseUrl.toString().replaceAll("/+$", "") + BLOB_PATH;
        this.maxSize = maxSize;
    }

    /**
     * The verification to record for an artifact, and why it was not checked when that is worth saying.
     *
     * @param verification what goes into the artifact's {@code verification}
     * @param note why a blob of this store was not verified (too large), or null
     */
    public record Verdict(Artifact.Verification verification, @Nullable String note) {
    }

    /** The verification to record for an artifact with this {@code uri} and {@code digest}. */
    public Verdict verify(String uri, @Nullable String digest) {
        Optional<String> blobName = blobName(uri);
        if (blobName.isEmpty() || digest == null) {
            // Outside the store, or no claim to check: nothing this service can vouch for.
            return new Verdict(new Artifact.Verification(VerificationStatus.UNVERIFIED, List.of()), null);
        }
        BlobDigest name;
        try {
            name = BlobDigest.parse(blobName.get());
        } catch (MalformedDigestException e) {
            return checked(VerificationStatus.FAILED, uri, null);
        }
        Optional<Path> file = store.find(name);
        if (file.isEmpty()) {
            return checked(VerificationStatus.FAILED, uri, null);
        }
        try {
            long size = Files.size(file.get());
            if (size > maxSize.toBytes()) {
                return checked(VerificationStatus.UNVERIFIED, uri, "not verified: blob " + name + " is " + size
                        + " bytes, above cwom.artifact.sink.verify-max-size (" + maxSize + "), and the sink"
                        + " hashes on its consumer thread; compare the sha256 of GET /blobs/" + name
                        + " with the digest out of band, or raise the setting");
            }
            try (InputStream in = Files.newInputStream(file.get())) {
                return checked(Digests.sha256(in).equals(digest) ? VerificationStatus.PASSED
                        : VerificationStatus.FAILED, uri, null);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not read blob {} to verify it: {}", name, e.toString());
            return checked(VerificationStatus.FAILED, uri, null);
        }
    }

    private static Verdict checked(VerificationStatus status, String uri, @Nullable String note) {
        return new Verdict(new Artifact.Verification(status, List.of(new Artifact.Check(CHECK_NAME, status, uri))),
                note);
    }

    /** The digest part of a URI that points into this store, if it does. */
    Optional<String> blobName(String uri) {
        String rest = null;
        if (publicBlobPrefix != null && uri.startsWith(publicBlobPrefix)) {
            rest = uri.substring(publicBlobPrefix.length());
        } else {
            int at = uri.indexOf(BLOB_PATH + Digests.PREFIX);
            if (at >= 0) {
                rest = uri.substring(at + BLOB_PATH.length());
            }
        }
        if (rest == null) {
            return Optional.empty();
        }
        int end = rest.length();
        for (char stop : new char[] {'?', '#', '/'}) {
            int i = rest.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return Optional.of(rest.substring(0, end));
    }
}
