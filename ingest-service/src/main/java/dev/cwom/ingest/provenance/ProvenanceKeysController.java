package dev.cwom.ingest.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cwom.ingest.IngestProperties;
import dev.cwom.provenance.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's public Ed25519 keys that verify attestations, read from {@code cwom.ingest.provenance.public-key-files}
 * at each request (a rotation needs no restart). Open to everyone: a public key is meant to be public, and whoever
 * checks an attestation may hold no token.
 */
@RestController
class ProvenanceKeysController {

    private static final Logger log = LoggerFactory.getLogger(ProvenanceKeysController.class);

    private final List<Path> files;

    ProvenanceKeysController(IngestProperties properties) {
        this.files = properties.provenance().publicKeyFiles();
    }

    /**
     * One key.
     *
     * @param keyId {@code sha256:<hex>} of the key's DER encoding, as DSSE signatures name it ({@code keyid})
     * @param algorithm always {@code Ed25519}
     * @param publicKeyPem the key as PEM ({@code BEGIN PUBLIC KEY})
     */
    record ProvenanceKey(@JsonProperty("keyid") String keyId, String algorithm,
            @JsonProperty("public_key_pem") String publicKeyPem) {
    }

    /** @param keys the keys, in the configured order (the current one first by convention) */
    record ProvenanceKeys(List<ProvenanceKey> keys) {
    }

    @GetMapping("/cwom/.well-known/provenance-keys")
    ResponseEntity<ProvenanceKeys> keys() {
        List<ProvenanceKey> keys = new ArrayList<>();
        for (Path file : files) {
            if (Files.notExists(file)) {
                continue;
            }
            try {
                PublicKey key = SigningKeys.parsePublicKey(Files.readString(file, StandardCharsets.UTF_8));
                keys.add(new ProvenanceKey(SigningKeys.keyId(key), SigningKeys.ALGORITHM, SigningKeys.publicPem(key)));
            } catch (IOException | IllegalArgumentException e) {
                log.warn("Public attestation key {} left out of /cwom/.well-known/provenance-keys: {}", file,
                        e.getMessage());
            }
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(new ProvenanceKeys(List.copyOf(keys)));
    }
}
