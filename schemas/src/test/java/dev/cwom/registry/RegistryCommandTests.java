package dev.cwom.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.auth.ApiTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of the registry's stand-alone main, as picocli parses them (starting it is tested elsewhere). */
class RegistryCommandTests {

    private static RegistryCommand parsed(String... args) {
        RegistryCommand command = new RegistryCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void everyOptionEndsUpInTheSettings() {
        String hash = ApiTokens.sha256Hex("a-token");
        SchemaRegistryServer.Settings settings = parsed("--kafka=127.0.0.1:19092", "--host=0.0.0.0", "--port=0",
                "--topic=_other", "--compatibility=FULL", "--writer=ingest:" + hash,
                "--admin=operator:" + ApiTokens.sha256Hex("an-admin-token")).settings();

        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isZero();
        assertThat(settings.topic()).isEqualTo("_other");
        assertThat(settings.defaultCompatibility()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(settings.writers()).isNotNull();
        assertThat(settings.writers().find("a-token").orElseThrow().scopes())
                .containsExactly(dev.cwom.auth.Scopes.SCHEMAS_WRITE);
        assertThat(settings.writers().find("an-admin-token").orElseThrow().scopes())
                .containsExactly(dev.cwom.auth.Scopes.ADMIN);
    }

    @Test
    void theDefaultsAreLoopbackPort8081AndNoWriters() {
        SchemaRegistryServer.Settings settings = parsed("--in-memory").settings();

        assertThat(settings.bootstrapServers()).isNull();
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8081);
        assertThat(settings.topic()).isEqualTo("_schemas");
        assertThat(settings.defaultCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(settings.writers()).isNull();
    }

    @Test
    void wrongOptionsAreUsageErrors() {
        assertThat(run("--port=8081")).as("no store").isEqualTo(2);
        assertThat(run("--in-memory", "--writer=no-hash")).isEqualTo(2);
        assertThat(run("--in-memory", "--frobnicate")).isEqualTo(2);
        assertThat(run("--in-memory", "--compatibility=SOMETIMES")).isEqualTo(2);
    }

    private static int run(String... args) {
        CommandLine line = new CommandLine(new RegistryCommand());
        line.setErr(new PrintWriter(new StringWriter()));
        return line.execute(args);
    }
}
