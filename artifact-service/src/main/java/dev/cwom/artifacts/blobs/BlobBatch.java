package dev.cwom.artifacts.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The framing of {@code POST /blobs/batch} ({@link #MEDIA_TYPE}): several blobs in one body, each a header line
 * followed by exactly its bytes, until the body ends:
 *
 * <pre>
 * sha256:&lt;64 hex&gt; &lt;size in bytes&gt; &lt;media type&gt;\n
 * &lt;size bytes&gt;
 * </pre>
 *
 * The digest is required (the store verifies every part against it) and is the only name a blob has, so there is no
 * path to trick; the media type is the rest of the line and may carry parameters. A header line is printable US-ASCII
 * of at most {@link #MAX_HEADER_BYTES}. Reads the parts one after another from the request's stream: a part's bytes
 * must be read (by the store) before the next part is asked for. Bounded in the number of parts and in their total
 * size, both counted as the body is read, so a body that announces no length is held to them too.
 */
final class BlobBatch {

    /** The Content-Type of a batch. */
    static final String MEDIA_TYPE = "application/vnd.cwom.blob-batch";
    static final int MAX_HEADER_BYTES = 512;

    /** One part as its header announced it; {@link #body} gives exactly {@link #sizeBytes} bytes, or ends early. */
    record Part(int number, BlobDigest digest, long sizeBytes, String mediaType, InputStream body) {
    }

    private final InputStream in;
    private final int maxCount;
    private final long maxTotalBytes;
    private int parts;
    private long totalBytes;
    private @Nullable Bounded current;

    BlobBatch(InputStream in, int maxCount, long maxTotalBytes) {
        this.in = in;
        this.maxCount = maxCount;
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * The next part, or null when the body ended cleanly after the last one.
     *
     * @throws BlobBatchException when a header is malformed, the previous part was not read whole, or a limit is
     *     exceeded
     * @throws UploadInterruptedException when reading the body fails
     */
    @Nullable Part next() throws IOException {
        if (current != null && current.remaining > 0) {
            throw new IllegalStateException("part " + parts + " was not read whole");
        }
        int number = parts + 1;
        String header = readHeader(number);
        if (header == null) {
            if (parts == 0) {
                throw BlobBatchException.malformed(1, "the body is empty; a batch carries at least one blob");
            }
            return null;
        }
        if (number > maxCount) {
            throw BlobBatchException.tooMany(maxCount);
        }
        String[] fields = header.split(" ", 3);
        if (fields.length < 3 || fields[2].isBlank()) {
            throw BlobBatchException.malformed(number, "its header line '" + header + "' is not"
                    + " '<digest> <size> <media type>'");
        }
        BlobDigest digest;
        try {
            digest = BlobDigest.parse(fields[0]);
        } catch (MalformedDigestException e) {
            throw BlobBatchException.malformed(number, "its digest '" + fields[0] + "' is not "
                    + BlobDigest.EXPECTED_FORM);
        }
        long size;
        try {
            size = fields[1].matches("[0-9]{1,18}") ? Long.parseLong(fields[1]) : -1;
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw BlobBatchException.malformed(number, "its size '" + fields[1] + "' is not a number of bytes");
        }
        String mediaType;
        try {
            mediaType = MediaType.parseMediaType(fields[2]).toString();
        } catch (InvalidMediaTypeException e) {
            throw BlobBatchException.malformed(number, "its media type '" + fields[2] + "' is not one ("
                    + e.getMessage() + ")");
        }
        totalBytes += size;
        if (totalBytes > maxTotalBytes) {
            throw BlobBatchException.tooLarge(number, maxTotalBytes);
        }
        parts = number;
        current = new Bounded(in, size);
        return new Part(number, digest, size, mediaType, current);
    }

    /** The header line without its {@code \n}, or null when the body ends before its first byte. */
    private @Nullable String readHeader(int number) throws IOException {
        byte[] line = new byte[MAX_HEADER_BYTES];
        int length = 0;
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                throw new UploadInterruptedException(totalBytes, -1, e);
            }
            if (b < 0) {
                if (length == 0) {
                    return null;
                }
                throw BlobBatchException.malformed(number, "the body ends inside its header line");
            }
            if (b == '\n') {
                return new String(line, 0, length, StandardCharsets.US_ASCII);
            }
            if (b < 0x20 || b > 0x7e) {
                throw BlobBatchException.malformed(number, "its header line holds the byte 0x"
                        + Integer.toHexString(b) + "; a header is printable US-ASCII ending in \\n");
            }
            if (length == MAX_HEADER_BYTES) {
                throw BlobBatchException.malformed(number, "its header line is longer than " + MAX_HEADER_BYTES
                        + " bytes");
            }
            line[length++] = (byte) b;
        }
    }

    /** A part's bytes: the next {@code remaining} bytes of the body, never more; never closes the body. */
    private static final class Bounded extends InputStream {

        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the body goes on with the next part
        }
    }
}
