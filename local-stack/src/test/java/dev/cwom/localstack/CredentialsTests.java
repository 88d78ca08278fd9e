package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.auth.ApiTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTests {

    @TempDir
    Path dataDir;

    @Test
    void makesTokensOnFirstStartReadableByTheOwnerOnly() throws Exception {
        Credentials credentials = Credentials.loadOrCreate(dataDir);

        Path file = dataDir.resolve("credentials.env");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).contains("CWOM_ADMIN_TOKEN=" + credentials.admin())
                .contains("CWOM_SUBMIT_TOKEN=" + credentials.submit())
                .contains("CWOM_READ_TOKEN=" + credentials.read())
                .contains("CWOM_REPORT_TOKEN=" + credentials.report());
        assertThat(credentials.admin()).startsWith(ApiTokens.PREFIX).isNotEqualTo(credentials.submit());
    }

    @Test
    void reusesTheTokensOnTheNextStart() {
        Credentials first = Credentials.loadOrCreate(dataDir);
        Credentials second = Credentials.loadOrCreate(dataDir);

        assertThat(second.admin()).isEqualTo(first.admin());
        assertThat(second.worker()).isEqualTo(first.worker());
    }

    @Test
    void givesTheServicesHashesNeverTokens() {
        Credentials credentials = Credentials.loadOrCreate(dataDir);

        assertThat(credentials.serviceProperties().values()).noneMatch(value -> value.contains(credentials.admin())
                || value.contains(credentials.worker()) || value.contains(credentials.submit()));
        assertThat(credentials.serviceProperties()).containsValue(ApiTokens.sha256Hex(credentials.admin()))
                .containsEntry("cwom.security.api-tokens[0].name", "local-admin");
    }
}
