package dev.cwom.artifacts.provenance;

import dev.cwom.artifacts.ArtifactServiceProperties;
import dev.cwom.artifacts.PeriodicTask;
import dev.cwom.artifacts.blobs.BlobStore;
import dev.cwom.artifacts.sink.ArtifactVerifier;
import dev.cwom.artifacts.sink.SinkWriter;
import dev.cwom.events.Topics;
import dev.cwom.provenance.SigningKeys;
import dev.cwom.service.kafka.KafkaClientMeters;
import dev.cwom.service.kafka.PipelineTopics;
import dev.cwom.service.tracing.TraceHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The provenance round, its schedule, the lineage topic and its producer, and the optional HTTP transport. */
@Configuration(proxyBeanMethods = false)
class ProvenanceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProvenanceConfiguration.class);

    /** Where artifact-service is reached when {@code cwom.artifact.blobs.public-base-url} is unset. */
    private static final URI DEFAULT_BASE_URL = URI.create("http://localhost:8083");

    @Bean
    NewTopic lineageTopic(ArtifactServiceProperties properties, PipelineTopics topics) {
        return topics.topic(Topics.LINEAGE, properties.sink().topicPartitions()).build();
    }

    /** JSON strings keyed by run id, acknowledged by all replicas like the other events. */
    @Bean
    KafkaTemplate<String, String> lineageTemplate(KafkaProperties kafka, MeterRegistry registry) {
        java.util.Map<String, Object> config = new java.util.HashMap<>(kafka.buildProducerProperties());
        // As every event producer of the pipeline: on every in-sync replica, and a retried send is written once.
        config.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        config.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaTemplate<>(new KafkaClientMeters(registry).meter(new DefaultKafkaProducerFactory<>(config,
                new StringSerializer(), new StringSerializer())));
    }

    @Bean
    @ConditionalOnProperty("cwom.lineage.http.url")
    LineageHttpTransport lineageHttpTransport(LineageProperties lineage) {
        return new LineageHttpTransport(java.util.Objects.requireNonNull(lineage.http().url()), lineage.http());
    }

    @Bean
    ProvenanceRound provenanceRound(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            SinkWriter writer, LineageProperties lineage, ArtifactServiceProperties properties, BlobStore store,
            ArtifactVerifier verifier, KafkaTemplate<String, String> lineageTemplate,
            KafkaTemplate<byte[], Object> cwomEventTemplate, ObjectProvider<LineageHttpTransport> http,
            Clock clock, TraceHeaders traces) {
        ArtifactServiceProperties.Provenance provenance = properties.provenance();
        URI base = properties.blobs().publicBaseUrl() == null ? DEFAULT_BASE_URL : properties.blobs().publicBaseUrl();
        SigningKeys.SigningKey key = signingKey(provenance);
        Attestations attestations = key == null ? null : new Attestations(key, store, verifier, base);
        return new ProvenanceRound(new ProvenanceRuns(jdbc), new TransactionTemplate(transactionManager), writer,
                new LineageEvents(lineage), attestations, lineageTemplate, cwomEventTemplate, http.getIfAvailable(),
                clock, provenance.maxPerRound(), provenance.publishTimeout(), traces);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "cwom.artifact.provenance.enabled", matchIfMissing = true)
    PeriodicTask provenanceSchedule(ProvenanceRound round, ArtifactServiceProperties properties) {
        return new PeriodicTask("provenance", properties.provenance().period(), round::emit);
    }

    private static SigningKeys.@Nullable SigningKey signingKey(ArtifactServiceProperties.Provenance provenance) {
        Path file = provenance.signingKeyFile();
        if (file == null) {
            log.info("No cwom.artifact.provenance.signing-key-file: runs get OpenLineage events but no signed"
                    + " attestation");
            return null;
        }
        try {
            SigningKeys.SigningKey key = provenance.createKey() ? SigningKeys.loadOrCreate(file)
                    : SigningKeys.load(file);
            log.info("Attestations are signed with {} (key id {})", file, key.keyId());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the attestation signing key " + file + " (set"
                    + " cwom.artifact.provenance.create-key=true to generate one on first start)", e);
        }
    }
}
