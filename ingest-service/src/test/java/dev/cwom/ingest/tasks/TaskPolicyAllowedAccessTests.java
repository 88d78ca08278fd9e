package dev.cwom.ingest.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** With network and secrets allowed by configuration, the policy gate lets tasks that ask for them through. */
@TestPropertySource(properties = {"cwom.ingest.tasks.allow-network=true", "cwom.ingest.tasks.allow-secrets=true"})
class TaskPolicyAllowedAccessTests extends IngestApiTest {

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
