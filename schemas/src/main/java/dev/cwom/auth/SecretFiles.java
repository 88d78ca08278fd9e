package dev.cwom.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files that hold tokens or passwords: the local stack's credentials, the CLI's profile. */
public final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * Replaces {@code file} with {@code text} atomically (a sibling temporary file, then a move), readable by its owner
     * only ({@code rw-------}) where the file system has POSIX permissions. The file is created with them, not
     * chmod-ed afterwards, so the secret is never readable by others, not even for a moment.
     */
    public static void writeOwnerOnly(Path file, CharSequence text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(temporary);
        }
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
