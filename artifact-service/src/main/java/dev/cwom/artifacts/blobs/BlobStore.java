package dev.cwom.artifacts.blobs;

import dev.cwom.json.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Content-addressed files under one root: {@code <root>/sha256/ab/cd/<hex>} holds the bytes and
 * {@code <hex>.media-type} beside it the Content-Type of the first upload. Uploads stream into
 * {@code <root>/incoming/} while being hashed, are fsynced, then renamed into place, so a blob is either
 * wholly visible or absent. No web types: the sink uses it to verify stored artifact bodies.
 *
 * <p>A file's modification time is what {@link BlobJanitor} judges it by: a temp file's is renewed by every chunk
 * written, a blob's is its last upload (storing the same content again renews it, see {@link #put}).
 */
public class BlobStore {

    /** Media type of a blob uploaded without one. */
    public static final String DEFAULT_MEDIA_TYPE = "application/octet-stream";

    private static final String MEDIA_TYPE_SUFFIX = ".media-type";

    private final Path root;
    private final Path blobs;
    private final IncomingBlobs incoming;
    private final long maxBytes;
    // Striped so the existence check and the rename of one digest happen as one step in this JVM
    // without holding a lock per digest forever.
    private final Object[] publishLocks = new Object[64];

    /**
     * @param root folder of the store, created if missing
     * @param maxBytes largest accepted body
     */
    public BlobStore(Path root, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException(
                    "Blob size limit " + maxBytes + " must be positive: set cwom.artifact.blobs.max-size, e.g. 1GB");
        }
        this.root = root.toAbsolutePath().normalize();
        this.blobs = this.root.resolve("sha256");
        this.maxBytes = maxBytes;
        for (int i = 0; i < publishLocks.length; i++) {
            publishLocks[i] = new Object();
        }
        try {
            Files.createDirectories(blobs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create blob store folders under " + this.root
                    + ": make cwom.artifact.blobs.root point at a writable folder", e);
        }
        this.incoming = new IncomingBlobs(this.root.resolve("incoming"), maxBytes);
    }

    /** The root folder (absolute). */
    public Path root() {
        return root;
    }

    /** The largest accepted body in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Streams {@code body} into the store. The same content stored twice leaves one file; the second call
     * answers {@code created = false} and keeps the first media type. Within one store instance exactly one
     * of several concurrent identical calls answers {@code created = true}; instances sharing a root may
     * each say so, harmlessly, since the bytes they rename into place are the same. Storing content that is
     * present already renews the blob's modification time, so that the janitor counts its age from this upload.
     *
     * @param declaredLength the body's announced length, or -1 when unknown; a body that ends short of it
     *     counts as interrupted
     * @param expected when given, the digest the body must have
     * @throws BlobTooLargeException above {@link #maxBytes()}
     * @throws DigestMismatchException when {@code expected} differs from the body's digest
     * @throws UploadInterruptedException when reading {@code body} fails or ends early
     * @throws IOException when the store itself cannot write
     */
    public PutOutcome put(InputStream body, long declaredLength, @Nullable String mediaType,
            @Nullable BlobDigest expected) throws IOException {
        try (ReceivedBlob upload = receive(body, declaredLength, expected)) {
            return publish(upload, mediaType);
        }
    }

    /**
     * The first half of {@link #put}: streams {@code body} into {@code incoming/} ({@link IncomingBlobs}) while
     * hashing it, and fsyncs it. Nothing is visible yet; {@link #publish} makes it a blob,
     * {@link ReceivedBlob#close()} discards it. Lets a caller decide on the received digest and size (the quota)
     * before the blob exists.
     *
     * @throws BlobTooLargeException above {@link #maxBytes()}
     * @throws DigestMismatchException when {@code expected} differs from the body's digest
     * @throws UploadInterruptedException when reading {@code body} fails or ends early
     * @throws IOException when the store itself cannot write
     */
    public ReceivedBlob receive(InputStream body, long declaredLength, @Nullable BlobDigest expected)
            throws IOException {
        return incoming.receive(body, declaredLength, expected);
    }

    /**
     * The second half of {@link #put}: renames a received upload into place or, when the content is stored already,
     * renews the stored blob's time (closing the upload then deletes its file).
     */
    public PutOutcome publish(ReceivedBlob upload, @Nullable String mediaType) throws IOException {
        return moveIntoPlace(upload, mediaType == null ? DEFAULT_MEDIA_TYPE : mediaType);
    }

    /** The file holding the blob's bytes, if the store has it. */
    public Optional<Path> find(BlobDigest digest) {
        Path path = pathOf(digest);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    /** The blob with its size and media type, if the store has it. */
    public Optional<StoredBlob> stat(BlobDigest digest) throws IOException {
        Optional<Path> path = find(digest);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StoredBlob(digest, path.get(), Files.size(path.get()), mediaTypeOf(path.get())));
    }

    /**
     * Recomputes the sha256 of the stored bytes. False when they no longer match their name, and also when
     * the blob is absent; call {@link #find} first to tell the two apart.
     */
    public boolean verify(BlobDigest digest) throws IOException {
        Optional<Path> path = find(digest);
        if (path.isEmpty()) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path.get())) {
            return Digests.sha256(in).equals(digest.toString());
        }
    }

    private PutOutcome moveIntoPlace(ReceivedBlob received, String mediaType) throws IOException {
        BlobDigest digest = received.digest();
        Path target = pathOf(digest);
        synchronized (publishLocks[Math.floorMod(digest.hashCode(), publishLocks.length)]) {
            if (Files.isRegularFile(target)) {
                try {
                    // The janitor may be about to delete this blob as an orphan; the new time tells it that an
                    // artifact is on its way. Should it have taken the file away already, this upload stores it anew.
                    Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
                    return new PutOutcome(
                            new StoredBlob(digest, target, received.sizeBytes(), mediaTypeOf(target)), false);
                } catch (NoSuchFileException e) {
                    // removed just now: fall through and publish this upload's copy
                }
            }
            Files.createDirectories(target.getParent());
            // The media type goes first so that a visible blob always has one.
            writeAtomically(mediaTypePath(target), mediaType.getBytes(StandardCharsets.UTF_8));
            try {
                Files.move(received.temp(), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                // Only the janitor deletes another's temp file, and only one not written to for incoming-max-age.
                throw new UploadInterruptedException(received.sizeBytes(), received.sizeBytes(), e);
            }
            forceDirectory(target.getParent());
            return new PutOutcome(new StoredBlob(digest, target, received.sizeBytes(), mediaType), true);
        }
    }

    /**
     * Calls {@code visitor} with every file in {@code incoming/}: uploads in flight, and what uploads killed with
     * their process left behind.
     */
    void forEachIncoming(Consumer<FoundFile> visitor) throws IOException {
        incoming.forEach(visitor);
    }

    /**
     * Calls {@code visitor} with every stored blob (not the media-type files beside them), in no particular order;
     * blobs stored or removed meanwhile may or may not be seen.
     */
    void forEachBlob(Consumer<FoundBlob> visitor) throws IOException {
        Files.walkFileTree(blobs, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String name = file.getFileName().toString();
                if (attributes.isRegularFile() && Digests.isSha256(Digests.PREFIX + name)) {
                    visitor.accept(new FoundBlob(new BlobDigest(name),
                            new FoundFile(file, attributes.lastModifiedTime().toInstant(), attributes.size())));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /**
     * Deletes a blob and its media type if its file was last modified before {@code cutoff}; answers the bytes
     * freed, or empty when the blob was absent or younger. The check and the deletion are one step against
     * {@link #put}: in this instance through the same lock; against other instances sharing the root, the file is
     * first renamed away (atomic, so a concurrent upload either renewed its time before, which this sees and puts the
     * file back, or finds it gone and stores its own copy).
     */
    OptionalLong deleteIfUnmodifiedSince(BlobDigest digest, Instant cutoff) throws IOException {
        Path target = pathOf(digest);
        synchronized (publishLocks[Math.floorMod(digest.hashCode(), publishLocks.length)]) {
            Path doomed = incoming.folder().resolve("delete-" + digest.hex() + "-" + UUID.randomUUID() + ".part");
            try {
                Files.move(target, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return OptionalLong.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(doomed, BasicFileAttributes.class);
            if (!attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
                // Same content under the same name, so replacing a copy stored meanwhile changes nothing.
                Files.move(doomed, target, StandardCopyOption.ATOMIC_MOVE);
                return OptionalLong.empty();
            }
            Files.deleteIfExists(doomed);
            if (!Files.exists(target)) {
                Files.deleteIfExists(mediaTypePath(target));
            }
            forceDirectory(target.getParent());
            return OptionalLong.of(attributes.size());
        }
    }

    private void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = incoming.newFile("meta-");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // A rename is durable only once its directory entry is; Linux allows fsync on a directory, some
    // platforms refuse to open one, and there the rename's own durability is all we get.
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // not supported on this platform
        }
    }

    private String mediaTypeOf(Path blob) throws IOException {
        Path sidecar = mediaTypePath(blob);
        if (!Files.isRegularFile(sidecar)) {
            return DEFAULT_MEDIA_TYPE;
        }
        String stored = Files.readString(sidecar, StandardCharsets.UTF_8).strip();
        return stored.isEmpty() ? DEFAULT_MEDIA_TYPE : stored;
    }

    private Path pathOf(BlobDigest digest) {
        String hex = digest.hex();
        return blobs.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    private static Path mediaTypePath(Path blob) {
        return blob.resolveSibling(blob.getFileName() + MEDIA_TYPE_SUFFIX);
    }

    /** A file of the store as listed: where, last modified when, how large. */
    record FoundFile(Path path, Instant lastModified, long sizeBytes) {
    }

    /** A stored blob as listed. */
    record FoundBlob(BlobDigest digest, FoundFile file) {
    }

    /**
     * What {@link #put} did.
     *
     * @param blob the stored blob
     * @param created true when this call stored it, false when it was already present
     */
    public record PutOutcome(StoredBlob blob, boolean created) {
    }
}
