package dev.cwom.artifacts;

import dev.cwom.testing.TestInfrastructure;
import dev.cwom.testing.TestTokens;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every Spring test of artifact-service: one application context for all of them (same configuration, so
 * Spring's context cache starts it once), on the shared broker, a database of its own with the migrations applied,
 * and an in-memory schema registry. Only one sink consumer group thus ever reads the shared topics. Requests
 * authenticate with {@link TestTokens}; the quota tests' principals have tokens of their own
 * ({@link TestTokens#forPrincipal(String)}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ArtifactServiceTest {

    /** Principals with a token of their own, for the quota and rate tests. */
    public static final String[] PRINCIPALS = {"quota-declared", "quota-streamed", "quota-other", "quota-again",
        "quota-of-someone-else", "rate-limited", "not-rate-limited"};

    /** The blob store's size limit in tests: above Spring's default 1MB multipart and 2MB form limits. */
    public static final int MAX_BLOB_BYTES = 3 * 1024 * 1024;
    /** The sink verifies blobs up to this size in tests; a bigger one is stored unverified with a note. */
    public static final int VERIFY_MAX_BYTES = 4096;
    /** The blob store's root, under target/ and new per test JVM. */
    public static final Path BLOB_ROOT = Path.of("target", "test-blobs", UUID.randomUUID().toString())
            .toAbsolutePath();
    /** The most blobs, and bytes of blobs, in one {@code POST /blobs/batch}. */
    public static final int BATCH_MAX_COUNT = 8;
    public static final int BATCH_MAX_BYTES = 4 * 1024 * 1024;
    /** The blob quota of the principals whose names start with {@code quota-}; everyone else has the default. */
    public static final int QUOTA_BYTES = 64 * 1024;
    /** Uploads per minute of principal {@code rate-limited}. */
    public static final int RATE_LIMIT_PER_MINUTE = 3;
    /** The in-memory registry the application and the tests' producers and consumers share. */
    public static final String REGISTRY_URL = "mock://artifact-service-tests";
    /** The operator's attestation key, generated at the context's start (as in the local stack). */
    public static final Path SIGNING_KEY = Path.of("target", "test-keys", UUID.randomUUID().toString(),
            "provenance.key").toAbsolutePath();
    /** The OpenLineage HTTP endpoint artifact-service POSTs to, on 127.0.0.1. */
    public static final LineageEndpoint LINEAGE_ENDPOINT = LineageEndpoint.start();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndDatabase(registry, "artifact");
        TestTokens.register(registry, PRINCIPALS);
        registry.add("spring.kafka.properties.schema.registry.url", () -> REGISTRY_URL);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("cwom.artifact.blobs.root", BLOB_ROOT::toString);
        registry.add("cwom.artifact.blobs.max-size", () -> MAX_BLOB_BYTES + "B");
        registry.add("cwom.artifact.blobs.batch-max-count", () -> BATCH_MAX_COUNT);
        registry.add("cwom.artifact.blobs.batch-max-size", () -> BATCH_MAX_BYTES + "B");
        for (String principal : new String[] {"quota-declared", "quota-streamed", "quota-other", "quota-again"}) {
            registry.add("cwom.artifact.blobs.quota.principals." + principal + ".bytes", () -> QUOTA_BYTES + "B");
        }
        registry.add("cwom.artifact.blobs.quota.principals.rate-limited.uploads-per-minute",
                () -> RATE_LIMIT_PER_MINUTE);
        registry.add("cwom.artifact.sink.data-retries", () -> "2");
        registry.add("cwom.artifact.sink.data-retry-interval", () -> "100ms");
        registry.add("cwom.artifact.sink.transient-backoff-max", () -> "1s");
        registry.add("cwom.artifact.sink.topic-partitions", () -> "3");
        registry.add("cwom.artifact.sink.verify-max-size", () -> VERIFY_MAX_BYTES + "B");
        // Tests call RunReaper.reap() themselves, at the moment they choose.
        registry.add("cwom.artifact.reaper.enabled", () -> "false");
        registry.add("cwom.artifact.reaper.sink-catch-up-wait", () -> "2s");
        // Tests sweep with BlobJanitor.sweep() themselves, with a clock and file times they set.
        registry.add("cwom.artifact.blobs.janitor-enabled", () -> "false");
        // Tests call ProvenanceRound.emit() themselves; it takes every due run of the shared database.
        registry.add("cwom.artifact.provenance.enabled", () -> "false");
        registry.add("cwom.artifact.provenance.signing-key-file", SIGNING_KEY::toString);
        registry.add("cwom.artifact.provenance.create-key", () -> "true");
        registry.add("cwom.artifact.provenance.max-per-round", () -> "10000");
        registry.add("cwom.lineage.http.url", LINEAGE_ENDPOINT::url);
        registry.add("cwom.lineage.http.backoff", () -> "50ms");
        registry.add("cwom.lineage.http.attempts", () -> "4");
    }
}
