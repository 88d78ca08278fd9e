package dev.cwom.artifacts.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.artifacts.sink.SinkFixtures;
import dev.cwom.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SinkProgressTests extends ArtifactServiceTest {

    @Autowired
    SinkProgress progress;

    @Test
    void aGapOfOnlyAnAbortedTransactionHoldsNoRecordsToApplyButAGapWithACommittedRecordDoes() throws Exception {
        String topic = "sink-progress-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        TopicPartition partition = new TopicPartition(topic, 0);

        SinkFixtures.abortedRecord(topic, "run-1");
        // The aborted record and its abort marker: two offsets a read_committed consumer is never handed.
        assertThat(progress.withRecords(Map.of(partition, 2L), Map.of(partition, 2L))).isEmpty();

        committedRecord(topic);
        assertThat(progress.withRecords(Map.of(partition, 3L), Map.of(partition, 3L)))
                .containsExactly(Map.entry(partition, 1L));
        assertThat(progress.withRecords(Map.of(partition, 1L), Map.of(partition, 3L)))
                .containsExactly(Map.entry(partition, 1L));
    }

    private static void committedRecord(String topic) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "run-1".getBytes(StandardCharsets.UTF_8), new byte[] {1}))
                    .get(10, TimeUnit.SECONDS);
        }
    }
}
