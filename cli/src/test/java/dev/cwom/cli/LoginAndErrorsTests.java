package dev.cwom.cli;

import dev.cwom.cli.client.ExitCodes;
import dev.cwom.cli.client.Profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.testing.TestTokens;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile written by login, and how refusals and failures come out: readable, or JSON, with exit codes. */
class LoginAndErrorsTests {

    @TempDir
    Path dir;

    @Test
    void loginChecksTheTokenAndWritesAProfileOnlyItsOwnerReads() throws Exception {
        Path profile = dir.resolve("cwom").resolve("profile");

        Cli.Result login = Cli.raw("login", "--url", CliServices.ingestUrl(), "--token", TestTokens.ALL,
                "--blobs-url", CliServices.blobsUrl(), "--profile", profile.toString());
        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(profile))).isEqualTo("rw-------");
        assertThat(Files.readString(profile)).contains(TestTokens.ALL);

        // Every other command then needs nothing but the profile.
        Cli.Result listed = Cli.raw("ls", "issues", "--limit", "1", "--profile", profile.toString(),
                "--output", "json");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.json().has("items")).isTrue();
    }

    @Test
    void loginRefusesAnUnknownTokenAndWritesNothing() {
        Path profile = dir.resolve("profile");
        Cli.Result login = Cli.raw("login", "--url", CliServices.ingestUrl(), "--token", "cwom_not-a-token",
                "--profile", profile.toString());

        assertThat(login.exitCode()).as(login.toString()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(login.err()).contains("HTTP 401").contains("INVALID_TOKEN");
        assertThat(profile).doesNotExist();
    }

    @Test
    void loginTakesTheSubmitTokenOfTheLocalStack() throws Exception {
        Path stack = Files.createDirectories(dir.resolve(".local-stack"));
        Files.writeString(stack.resolve("credentials.env"), """
                # local-read: cwom.read blobs.read
                CWOM_READ_TOKEN=%s
                # local-submit: cwom.submit cwom.read blobs.read
                CWOM_SUBMIT_TOKEN=%s
                """.formatted(TestTokens.withScope("blobs.read"), TestTokens.withScope("cwom.read")));
        Path profile = dir.resolve("profile");

        Cli.Result login = Cli.raw("login", "--local-stack", stack.toString(), "--url", CliServices.ingestUrl(),
                "--profile", profile.toString(), "--output", "json");
        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.json().path("kafka").asString()).isEqualTo("127.0.0.1:9092");
        assertThat(Profile.read(profile).token()).isEqualTo(TestTokens.withScope("cwom.read"));
        assertThat(Profile.read(profile).blobsUrl()).isEqualTo("http://127.0.0.1:8083");
    }

    @Test
    void theProfileLivesUnderTheXdgConfigHome() {
        assertThat(Profile.defaultPath(Map.of("XDG_CONFIG_HOME", "/x/config"), "/home/me"))
                .isEqualTo(Path.of("/x/config/cwom/profile"));
        assertThat(Profile.defaultPath(Map.of(), "/home/me")).isEqualTo(Path.of("/home/me/.config/cwom/profile"));
    }

    @Test
    void withoutATokenTheProblemIsPrintedReadablyOrAsJson() {
        Cli.Result text = Cli.as(null, "ls", "issues");
        assertThat(text.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(text.out()).isEmpty();
        assertThat(text.err()).startsWith("Error: ").contains("(HTTP 401, UNAUTHENTICATED)");

        Cli.Result json = Cli.as(null, "ls", "issues", "--output", "json");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(json.errJson().path("code").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(json.errJson().path("status").asInt()).isEqualTo(401);
    }

    @Test
    void aTokenWithoutTheScopeIsRefusedWithTheScopeNamed() {
        Cli.Result refused = Cli.as(TestTokens.withScope("blobs.read"), "ls", "runs");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(refused.err()).contains("INSUFFICIENT_SCOPE").contains("required_scope").contains("cwom.read");
    }

    @Test
    void aBadFilterValueIsAValidationErrorWithItsParameter() {
        Cli.Result refused = Cli.run("ls", "issues", "--status", "sleeping");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("HTTP 400").contains("status");
    }

    @Test
    void anUnreachableServiceIsExitSixAndWrongUsageTwo() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli.Result down = Cli.raw("ls", "issues", "--url", "http://127.0.0.1:" + closed, "--token", "t",
                "--profile", Cli.NO_PROFILE.toString());
        assertThat(down.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(down.err()).contains("Cannot connect to http://127.0.0.1:" + closed);

        assertThat(Cli.raw("ls", "issues", "--output", "yaml").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.raw("frobnicate").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.raw().exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everyCommandHasHelp() {
        Cli.Result help = Cli.raw("ls", "artifacts", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--run=ID").contains("--output=FORMAT");
        assertThat(Cli.raw("submit", "--help").out()).contains("--via=WAY");
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        Cli.Result completion = Cli.raw("completion");
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("submit").contains("watch").contains("fetch")
                .contains("--verify").contains("artifacts");
    }
}
