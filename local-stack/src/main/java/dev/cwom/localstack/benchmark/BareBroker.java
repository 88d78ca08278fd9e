package dev.cwom.localstack.benchmark;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * The broker alone, with the benchmark's own producer: the same records (same keys, same bytes as the Issues) to a
 * fresh topic with as many partitions as the submission topic, read back by a consumer that was assigned before the
 * first send. Produce + consume is the time from the first send to the last record read, the figure a pipeline that
 * only moved records through the broker would reach; it is measured in a second round, after one that warms up the
 * topic's metadata and the consumer's fetches.
 */
final class BareBroker {

    /** records/s of sending alone (until the last ack) and of sending and reading everything back. */
    record Result(int records, int averageBytes, double producePerSecond, double produceConsumePerSecond) {
    }

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    BareBroker(String bootstrapServers, KafkaProducer<String, byte[]> producer) {
        this.bootstrapServers = bootstrapServers;
        this.producer = producer;
    }

    Result measure(String topic, int partitions, List<IssueLoad.Submission> records) throws Exception {
        createTopic(topic, partitions);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // As the services read: committed records only.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, StackBenchmark.THREAD_PREFIX + "broker-consumer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> assigned = java.util.stream.IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            assigned.forEach(consumer::position);

            // A first round, not measured, pays for the metadata of the new topic and the first fetches.
            round(topic, consumer, records);
            long[] produceAndConsume = round(topic, consumer, records);
            int averageBytes = (int) records.stream().mapToInt(r -> r.value().length).average().orElse(0);
            return new Result(records.size(), averageBytes, perSecond(records.size(), produceAndConsume[0]),
                    perSecond(records.size(), produceAndConsume[1]));
        }
    }

    /** Sends every record and reads them all back: ns until the last ack, ns until the last record was read. */
    private long[] round(String topic, KafkaConsumer<byte[], byte[]> consumer, List<IssueLoad.Submission> records) {
        AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        for (IssueLoad.Submission record : records) {
            producer.send(new ProducerRecord<>(topic, record.issueId(), record.value()), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
        }
        producer.flush();
        long produced = System.nanoTime();
        Optional.ofNullable(failure.get()).ifPresent(error -> {
            throw new IllegalStateException("The bare broker refused a record: " + error.getMessage(), error);
        });
        int read = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (read < records.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Read only " + read + " of " + records.size() + " records back"
                        + " from " + topic + " in 120 s");
            }
            read += consumer.poll(Duration.ofMillis(100)).count();
        }
        return new long[] {produced - start, System.nanoTime() - start};
    }

    /** The partitions of {@code topic} on the broker. */
    int partitionsOf(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        }
    }

    private void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            // Replicated as the cluster's default (the pipeline's topics are): one replica, or three with --brokers=3.
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    static double perSecond(int count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }
}
