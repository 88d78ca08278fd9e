package dev.cwom.testing;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker (KRaft, in this JVM) per test JVM, started on first use and stopped when the JVM exits.
 * Tests keep apart by using topics or consumer groups of their own.
 */
public final class SharedKafka {

    private static volatile EmbeddedKafkaKraftBroker broker;

    private SharedKafka() {
    }

    /** The running broker, started on first call. */
    public static synchronized EmbeddedKafkaKraftBroker broker() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 12);
            started.brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "group.initial.rebalance.delay.ms", "0"));
            started.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "shared-kafka-stop"));
            broker = started;
        }
        return broker;
    }

    /** The broker's bootstrap servers, starting it if needed. */
    public static String bootstrapServers() {
        return broker().getBrokersAsString();
    }
}
