package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.cli.client.Output;
import dev.cwom.json.CwomJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code fetch ARTIFACT}: downloads the body and checks its sha256 against the Artifact's digest. A body that does
 * not match is never written to {@code -o} (exit 7); {@code --verify} also refuses an Artifact without a digest.
 */
@Command(name = "fetch", description = "Download an artifact's body and check its sha256 against the stored digest.")
public final class FetchCommand implements Callable<Integer> {

    @Mixin ApiOptions options;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ARTIFACT", description = "the Artifact's id")
    String artifact;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write the body here (default: stdout; "
            + "required with --output json)")
    @Nullable Path file;

    @Option(names = "--verify", description = "fail (exit 7) unless the artifact has a digest and the body matches it")
    boolean verify;

    @Override
    public Integer call() throws IOException {
        Output out = options.out(spec);
        if (out.json() && file == null) {
            throw new CliException(ExitCodes.USAGE, "With --output json the body needs a file: -o FILE");
        }
        Api api = options.api();
        JsonNode stored = api.get("/cwom/artifacts/" + Api.segment(artifact));
        Path temporary = ArtifactBodies.temporaryNextTo(file);
        try {
            ArtifactBodies.Download download = ArtifactBodies.download(api, stored, temporary);
            boolean checked = download.expected() != null;
            boolean ok = checked ? download.matches() : !verify;
            if (ok) {
                deliver(temporary, out);
            }
            report(out, stored, download, ok);
            return ok ? ExitCodes.OK : ExitCodes.DIGEST_MISMATCH;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void deliver(Path temporary, Output out) throws IOException {
        if (file != null) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        out.out().flush();
        // Bytes, not text: straight to the process's stdout.
        OutputStream stdout = System.out;
        Files.copy(temporary, stdout);
        stdout.flush();
    }

    private void report(Output out, JsonNode stored, ArtifactBodies.Download download, boolean ok) {
        String expected = download.expected();
        if (out.json()) {
            ObjectNode node = CwomJson.mapper().createObjectNode();
            node.put("artifact_id", stored.path("id").asString());
            node.put("uri", stored.path("uri").asString());
            node.put("file", ok ? file.toString() : null);
            node.put("size_bytes", download.size());
            node.put("digest", expected);
            node.put("body_digest", download.actual());
            node.put("verified", expected == null ? null : download.matches());
            node.put("sink_verification", stored.path("verification").path("status").asString(null));
            out.json(node);
            return;
        }
        String where = file == null ? "stdout" : file.toString();
        if (expected == null) {
            out.note((verify ? "NOT VERIFIED: " : "not verified: ") + "artifact " + artifact + " has no digest; body "
                    + download.actual() + (ok ? ", " + download.size() + " bytes to " + where : ", not written"));
        } else if (download.matches()) {
            out.note("verified: sha256 matches " + expected + " (" + download.size() + " bytes to " + where + ")");
        } else {
            out.note("DIGEST MISMATCH: artifact " + artifact + " stores " + expected + " but the body from "
                    + stored.path("uri").asString() + " is " + download.actual() + "; nothing written");
        }
    }
}
