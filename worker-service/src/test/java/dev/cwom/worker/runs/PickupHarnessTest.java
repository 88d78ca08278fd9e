package dev.cwom.worker.runs;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of pick-up loops against the shared broker: a fresh {@link PickupHarness} (own topics, own folder) each. */
abstract class PickupHarnessTest {

    @TempDir
    Path data;

    PickupHarness harness;

    @BeforeEach
    void harness() throws Exception {
        harness = new PickupHarness(data);
    }

    @AfterEach
    void close() {
        harness.close();
    }
}
