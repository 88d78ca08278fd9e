package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Downloads an Artifact's body (its {@code uri}) to a file while hashing it, and compares the sha256 with the
 * Artifact's stored {@code digest}: the one check behind {@code fetch} and {@code trace}.
 */
final class ArtifactBodies {

    private ArtifactBodies() {
    }

    /** What a download found: the stored digest (null when the Artifact has none) and the body's. */
    record Download(Path file, long size, @Nullable String expected, String actual) {

        boolean matches() {
            return actual.equalsIgnoreCase(expected == null ? "" : expected);
        }
    }

    /** The body of {@code artifact} (as {@code GET /cwom/artifacts/{id}} answers it) into {@code file}. */
    static Download download(Api api, JsonNode artifact, Path file) {
        String uri = artifact.path("uri").asString(null);
        if (uri == null) {
            throw new CliException(ExitCodes.ERROR, "Artifact " + artifact.path("id").asString() + " has no uri");
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
        long size;
        try (InputStream in = api.download(uri).body();
             OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
            size = in.transferTo(out);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Download of " + uri + " failed: " + e.getMessage(), e);
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        return new Download(file, size, artifact.path("digest").asString(null), actual);
    }

    /** A temporary file next to {@code target} (so that a verified body is moved, not copied, into place). */
    static Path temporaryNextTo(@Nullable Path target) throws IOException {
        Path dir = target == null ? null : target.toAbsolutePath().getParent();
        return dir == null ? Files.createTempFile("cwom-", ".part") : Files.createTempFile(dir, ".cwom-", ".part");
    }
}
