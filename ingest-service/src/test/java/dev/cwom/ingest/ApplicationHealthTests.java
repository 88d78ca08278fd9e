package dev.cwom.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApplicationHealthTests extends IngestApiTest {

    @Test
    void startsAndReportsHealthUp() {
        Http.Response response = http.get("/actuator/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }
}
