package dev.cwom.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The served OpenAPI document is the REST contract: it must equal the committed {@code docs/openapi.json}.
 * To accept an intended API change, run {@value #ACCEPT} and commit the file.
 */
class OpenApiContractTests extends IngestApiTest {

    static final String ACCEPT = "./mvnw -B -pl ingest-service -am verify -Dtest=OpenApiContractTests "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dcwom.openapi.update=true";

    private static final Path COMMITTED = Path.of("..", "docs", "openapi.json");
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void theServedOpenApiDocumentEqualsTheCommittedContract() throws IOException {
        Http.Response response = http.get("/v3/api-docs");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        ObjectNode document = (ObjectNode) response.json();
        document.remove("servers"); // names the random test port
        String served = PRETTY.writeValueAsString(PRETTY.readTree(CanonicalJson.canonicalize(document))) + "\n";

        if (Boolean.getBoolean("cwom.openapi.update")) {
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
        }

        assertThat(COMMITTED).as("%s is missing; generate it with: %s", COMMITTED, ACCEPT).exists();
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as("The REST contract changed. If that is intended, accept it with: %s and commit docs/openapi.json; "
                        + "otherwise undo the API change.", ACCEPT)
                .isEqualTo(served);
    }

    @Test
    void theContractDocumentsEveryCwomPathInSnakeCase() throws IOException {
        String contract = Files.readString(COMMITTED, StandardCharsets.UTF_8);

        assertThat(contract).contains("\"/cwom/repos\"", "\"/cwom/issues/{id}/status\"", "\"/cwom/runs/{runId}/artifacts\"",
                "\"/cwom/issues/{issueId}/context-packets\"", "\"for_issue\"", "\"score_0_5\"")
                .doesNotContain("\"forIssue\"");
    }
}
