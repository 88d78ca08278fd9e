package dev.cwom.ingest.console;

import dev.cwom.ingest.IngestApiTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API tests of the console's endpoints: ingest with its blob store at {@link FakeBlobStore} (one context). */
abstract class ConsoleApiTest extends IngestApiTest {

    @DynamicPropertySource
    static void blobStore(DynamicPropertyRegistry registry) {
        registry.add("cwom.ingest.console.blobs-url", () -> FakeBlobStore.get().url());
    }
}
