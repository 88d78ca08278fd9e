package dev.cwom.ingest.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.provenance.SigningKeys;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The operator's public attestation keys are published to everyone, and only for reading. */
class ProvenanceKeysTests extends IngestApiTest {

    @Test
    void anyoneCanReadThePublicKeysAndTheirIds() throws Exception {
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(PROVENANCE_KEY);

        Http.Response response = new Http(port, null).get("/cwom/.well-known/provenance-keys");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode keys = response.json().path("keys");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).path("keyid").asString()).isEqualTo(key.keyId());
        assertThat(keys.get(0).path("algorithm").asString()).isEqualTo("Ed25519");
        assertThat(SigningKeys.keyId(SigningKeys.parsePublicKey(keys.get(0).path("public_key_pem").asString())))
                .isEqualTo(key.keyId());
    }

    @Test
    void onlyReadingIsOpen() {
        Http.Response response = new Http(port, null).send("POST", "/cwom/.well-known/provenance-keys",
                "application/json", "{}");

        problem(response, 401, "UNAUTHENTICATED");
    }
}
