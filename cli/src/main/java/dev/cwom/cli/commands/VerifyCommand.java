package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.cli.client.Output;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.provenance.AttestationVerifier;
import dev.cwom.provenance.Dsse;
import dev.cwom.provenance.SigningKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * {@code verify RUN}: finds the Run's attestation (its Artifact of media type {@code application/vnd.in-toto+json}),
 * checks its DSSE signature with the operator's public keys and fetches every subject's body again to compare its
 * sha256 with the statement ({@link AttestationVerifier}). The keys are the ones ingest publishes
 * ({@code /cwom/.well-known/provenance-keys}) unless {@code --key} names a PEM file to trust instead: whoever doubts
 * the server should not take its word for the key either.
 */
@Command(name = "verify", description = "Check a run's signed attestation: the signature and every artifact body.")
public final class VerifyCommand implements Callable<Integer> {

    @Mixin ApiOptions options;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "the Run's id")
    String run;

    @Option(names = "--key", paramLabel = "PEM", description = "trust only this public key file (BEGIN PUBLIC KEY)"
            + " instead of the keys the server publishes")
    @Nullable Path key;

    @Override
    public Integer call() throws IOException {
        Api api = options.api();
        Output out = options.out(spec);
        JsonNode attestation = attestation(api);
        byte[] envelope;
        try (InputStream in = api.download(attestation.path("uri").asString()).body()) {
            envelope = in.readAllBytes();
        }
        List<String> problems = new java.util.ArrayList<>();
        String stored = attestation.path("digest").asString("");
        if (!Digests.sha256(envelope).equals(stored)) {
            problems.add("the attestation's body has digest " + Digests.sha256(envelope) + ", its Artifact says "
                    + stored);
        }
        AttestationVerifier.Verdict verdict = AttestationVerifier.verify(envelope, keys(api),
                (uri, digest) -> Optional.of(api.download(uri).body()));
        problems.addAll(verdict.problems());
        if (verdict.runId() != null && !run.equals(verdict.runId())) {
            problems.add("the attestation is about run " + verdict.runId() + ", not " + run);
        }
        print(out, attestation, verdict, problems);
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.ATTESTATION_INVALID;
    }

    private JsonNode attestation(Api api) {
        for (JsonNode artifact : api.get("/cwom/runs/" + Api.segment(run) + "/artifacts?type=report").path("items")) {
            if (Dsse.IN_TOTO_PAYLOAD_TYPE.equals(artifact.path("media_type").asString(""))) {
                return artifact;
            }
        }
        throw new CliException(ExitCodes.NOT_FOUND, "Run " + run + " has no attestation (yet): artifact-service signs"
                + " a run once it finished and all its artifacts are stored, when it has a signing key");
    }

    private Map<String, PublicKey> keys(Api api) throws IOException {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        if (key != null) {
            PublicKey trusted = SigningKeys.parsePublicKey(Files.readString(key, StandardCharsets.UTF_8));
            keys.put(SigningKeys.keyId(trusted), trusted);
            return keys;
        }
        for (JsonNode published : api.get("/cwom/.well-known/provenance-keys").path("keys")) {
            PublicKey publicKey = SigningKeys.parsePublicKey(published.path("public_key_pem").asString());
            // the id is recomputed from the key: a published id that does not match it is ignored
            keys.put(SigningKeys.keyId(publicKey), publicKey);
        }
        return keys;
    }

    private void print(Output out, JsonNode attestation, AttestationVerifier.Verdict verdict, List<String> problems) {
        if (out.json()) {
            ObjectNode node = CwomJson.mapper().createObjectNode();
            node.put("run_id", run);
            node.put("attestation_id", attestation.path("id").asString());
            node.put("valid", problems.isEmpty());
            node.put("key_id", verdict.keyId());
            var subjects = node.putArray("subjects");
            verdict.subjects().forEach(s -> subjects.addObject().put("artifact_id", s.artifactId())
                    .put("digest", s.expected()).put("holds", s.holds()));
            var list = node.putArray("problems");
            problems.forEach(list::add);
            out.json(node);
            return;
        }
        out.line("Run " + run + ": attestation " + attestation.path("id").asString() + (problems.isEmpty()
                ? " holds" : " does NOT hold") + (verdict.keyId() == null ? "" : ", signed by " + verdict.keyId()));
        verdict.subjects().forEach(s -> out.line(String.format("  %-26s %s %s", s.artifactId(), s.expected(),
                s.holds() ? "ok" : "CHANGED OR MISSING")));
        problems.forEach(p -> out.line("  problem: " + p));
    }
}
