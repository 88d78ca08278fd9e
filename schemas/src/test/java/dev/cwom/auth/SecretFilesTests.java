package dev.cwom.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTests {

    @TempDir
    Path folder;

    @Test
    void writesTheTextReadableByItsOwnerOnlyAndReplacesAnEarlierFileWithoutLeavingTheTemporaryOne() throws Exception {
        Path file = folder.resolve("deeper/credentials.env");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        SecretFiles.writeOwnerOnly(file, "TOKEN=secret\n");

        assertThat(Files.readString(file)).isEqualTo("TOKEN=secret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }
}
