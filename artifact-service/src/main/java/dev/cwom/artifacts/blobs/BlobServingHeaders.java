package dev.cwom.artifacts.blobs;

import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;

/**
 * How a stored blob is offered to a browser. Anyone who may upload can store any bytes under any Content-Type, so a
 * blob must never run as a page of this origin: every response carries {@code X-Content-Type-Options: nosniff} and
 * {@code Content-Security-Policy: sandbox} ({@link BlobResponseHeadersFilter}), and the body is an
 * <em>attachment</em> (a download) unless its type is one of the few inert ones in {@link #INLINE} that a browser
 * only displays. HTML, SVG, XHTML, XML, JavaScript and every type not listed are downloads, never rendered.
 */
final class BlobServingHeaders {

    /** Types shown inline: a browser displays them as text or a picture and runs nothing in them. */
    static final List<MediaType> INLINE = List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON,
            MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG, MediaType.IMAGE_GIF);

    // Extensions for the download's file name. Active types (HTML, SVG, scripts) get none on purpose: a saved
    // download should not open in a browser by a double click.
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("text/plain", ".txt"), Map.entry("application/json", ".json"),
            Map.entry("image/png", ".png"), Map.entry("image/jpeg", ".jpg"), Map.entry("image/gif", ".gif"),
            Map.entry("application/pdf", ".pdf"), Map.entry("application/zip", ".zip"),
            Map.entry("application/gzip", ".gz"), Map.entry("application/x-tar", ".tar"));

    private BlobServingHeaders() {
    }

    /** {@code inline} for an inert type, else {@code attachment}; the file name is the digest's hex. */
    static ContentDisposition contentDisposition(BlobDigest digest, MediaType mediaType) {
        String filename = digest.hex()
                + EXTENSIONS.getOrDefault(mediaType.getType() + "/" + mediaType.getSubtype(), "");
        ContentDisposition.Builder builder = isInline(mediaType)
                ? ContentDisposition.inline() : ContentDisposition.attachment();
        return builder.filename(filename).build();
    }

    /** Whether the type (parameters such as the charset aside) is on the inline list. */
    static boolean isInline(MediaType mediaType) {
        return INLINE.stream().anyMatch(mediaType::equalsTypeAndSubtype);
    }
}
