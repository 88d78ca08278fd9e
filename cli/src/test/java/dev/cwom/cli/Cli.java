package dev.cwom.cli;

import dev.cwom.json.CwomJson;
import dev.cwom.testing.TestTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Runs {@code cwom} in-process as a user would, capturing stdout, stderr and the exit code. */
final class Cli {

    /** A profile file that never exists, so no test reads the user's own profile. */
    static final Path NO_PROFILE = Path.of("target", "no-such-profile-" + System.nanoTime());

    private Cli() {
    }

    record Result(int exitCode, String out, String err) {

        JsonNode json() {
            return CwomJson.mapper().readTree(out);
        }

        static JsonNode parse(String line) {
            return CwomJson.mapper().readTree(line);
        }

        JsonNode errJson() {
            return CwomJson.mapper().readTree(err);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** {@code cwom args...} exactly as given. */
    static Result raw(String... args) {
        CommandLine line = CwomCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code cwom args...} against the test services with a token of every scope. */
    static Result run(String... args) {
        return as(TestTokens.ALL, args);
    }

    /** {@code cwom args...} against the test services with {@code token}. */
    static Result as(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", CliServices.ingestUrl(), "--blobs-url", CliServices.blobsUrl(),
                "--profile", NO_PROFILE.toString()));
        if (token != null) {
            all.addAll(List.of("--token", token));
        }
        return raw(all.toArray(String[]::new));
    }
}
