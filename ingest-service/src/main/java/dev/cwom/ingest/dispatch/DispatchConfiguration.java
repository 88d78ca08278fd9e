package dev.cwom.ingest.dispatch;

import dev.cwom.events.Topics;
import dev.cwom.ingest.IngestProperties;
import dev.cwom.ingest.attempts.IssueAttempts;
import dev.cwom.serde.AvroProducerConfig;
import dev.cwom.service.kafka.KafkaClientMeters;
import dev.cwom.service.kafka.PipelineTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.DriverManager;
import java.time.Clock;
import dev.cwom.ingest.store.PostgresListener;
import dev.cwom.service.tracing.TraceHeaders;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires ingest's Kafka side that everything else shares: the topics it produces and consumes (created at start-up
 * when missing, by Spring's {@link KafkaAdmin}), the producer of its Avro events, and the outbox relay.
 */
@Configuration(proxyBeanMethods = false)
class DispatchConfiguration {

    /** The topics ingest reads or writes. */
    static final List<String> TOPICS = List.of(Topics.ISSUES_SUBMITTED, Topics.ISSUES_REJECTED, Topics.ISSUES_READY,
            Topics.ISSUES_CANCELED, Topics.RUNS, Topics.RUNS_REJECTED, Topics.ARTIFACTS);

    /**
     * Topics that keep the latest record per key instead of deleting by age: a canceled Issue stays canceled, and a
     * worker reading the topic from the beginning must learn every cancellation, however old.
     */
    static final List<String> COMPACTED = List.of(Topics.ISSUES_CANCELED);

    /** Work orders, rejections and run/artifact events: byte keys, Avro values, acks from all in-sync replicas. */
    @Bean
    KafkaTemplate<byte[], Object> cwomEventTemplate(KafkaProperties kafka, MeterRegistry registry) {
        return new KafkaTemplate<>(new KafkaClientMeters(registry).meter(new DefaultKafkaProducerFactory<>(
                AvroProducerConfig.events(kafka.buildProducerProperties(), ByteArraySerializer.class,
                        "/cwom/ingest"))));
    }

    @Bean
    KafkaAdmin.NewTopics ingestTopics(IngestProperties properties, PipelineTopics topics) {
        return new KafkaAdmin.NewTopics(TOPICS.stream().map(name -> {
            TopicBuilder builder = topics.topic(name, properties.topics().partitions());
            return COMPACTED.contains(name) ? builder.compact().build() : builder.build();
        }).toArray(NewTopic[]::new));
    }

    /** Also where the relay is off: the backlog is the shared table's, whichever instance relays it. */
    @Bean
    OutboxMetrics outboxMetrics(JdbcClient jdbc, MeterRegistry registry) {
        return new OutboxMetrics(jdbc, registry, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "cwom.ingest.relay.enabled", matchIfMissing = true)
    OutboxRelay outboxRelay(JdbcClient jdbc, PlatformTransactionManager transactionManager, WorkOrders workOrders,
            IssueAttempts attempts, KafkaTemplate<byte[], Object> cwomEventTemplate, IngestProperties properties,
            OutboxWakeUp wakeUp, TraceHeaders traces, OutboxMetrics metrics) {
        return new OutboxRelay(jdbc, new TransactionTemplate(transactionManager), workOrders, attempts,
                cwomEventTemplate, properties.relay(), wakeUp, traces, metrics);
    }

    /**
     * The relay's ear for other instances' outbox commits: {@code LISTEN cwom_outbox} on a connection of its own
     * (held for the service's life, so not taken from the pool), closed with the context.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnBooleanProperty(name = "cwom.ingest.relay.enabled", matchIfMissing = true)
    PostgresListener outboxListener(IngestProperties properties, DataSourceProperties database, OutboxWakeUp wakeUp) {
        String url = database.determineUrl();
        String username = database.determineUsername();
        String password = database.determinePassword();
        IngestProperties.Relay relay = properties.relay();
        return new PostgresListener(OutboxWakeUp.CHANNEL, "the outbox relay polls every " + relay.pollInterval(),
                () -> DriverManager.getConnection(url, username, password), relay.reconnectInterval(),
                notice -> wakeUp.wake(), wakeUp::wake).start();
    }
}
