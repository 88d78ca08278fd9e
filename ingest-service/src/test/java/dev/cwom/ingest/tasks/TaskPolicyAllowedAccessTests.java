package dev.cwom.ingest.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** With network and secrets allowed by the operator policy, the task gate lets tasks that ask for them through. */
class TaskPolicyAllowedAccessTests extends IngestApiTest {

    @BeforeEach
    void allowNetworkAndSecrets() {
        usePolicy("""
                {"executors": ["*"], "tools": {"allowed": ["*"]}, "network": {"allowed": true, "hosts": ["*"]},
                 "secrets": true}""");
    }

    @AfterEach
    void restore() {
        restorePermissivePolicy();
    }

    @Test
    void aTaskAskingForNetworkIsAdmittedWhenAllowNetworkIsEnabled() {
        Http.Response response = http.post("/tasks/enqueue",
                TaskPolicyTests.with("\"constraints\": {\"allow_network\": true}"));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().get("constraints").get("allow_network").asBoolean()).isTrue();
        JsonNode snapshot = http.get("/cwom/issues/" + response.json().get("cwom_issue_id").asString()).json()
                .get("constraint_snapshot");
        assertThat(snapshot.get("constraints").get("environment").get("connectivity").asString()).isEqualTo("ok");
    }

    @Test
    void aTaskAskingForSecretsIsAdmittedWhenAllowSecretsIsEnabled() {
        Http.Response response = http.post("/tasks/enqueue",
                TaskPolicyTests.with("\"constraints\": {\"allow_secrets\": true}"));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().get("constraints").get("allow_secrets").asBoolean()).isTrue();
    }
}
