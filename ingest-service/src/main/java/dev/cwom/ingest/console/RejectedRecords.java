package dev.cwom.ingest.console;

import dev.cwom.events.RecordRejected;
import dev.cwom.events.Topics;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Reads pages of {@code cwom.issues.rejected.v1}, where the intake records every submission it refused (there is no
 * table of them: the topic is the record, kept as long as its retention says). A page is read with a consumer of its
 * own, assigned (no group, nothing committed), in the topic's one stable order: by partition, then offset. The
 * cursor is the position of the previous page's last record, {@code <partition>-<offset>}; each page reads at most
 * {@code limit + 1} records and stops at the end offsets it saw when it began, or when
 * {@code cwom.ingest.console.rejections-timeout} runs out (503).
 */
@Component
class RejectedRecords {

    private static final Pattern CURSOR = Pattern.compile("(\\d{1,6})-(\\d{1,19})");

    private final KafkaProperties kafka;
    private final ConsoleProperties properties;

    RejectedRecords(KafkaProperties kafka, ConsoleProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    /** A cursor's partition and offset, or a 400 naming {@code query.cursor}. */
    record Position(int partition, long offset) {
        static @Nullable Position parse(@Nullable String cursor) {
            if (cursor == null) {
                return null;
            }
            Matcher m = CURSOR.matcher(cursor);
            if (!m.matches()) {
                throw ApiProblem.invalid("query.cursor", "'" + cursor + "' is not a cursor of rejected records; "
                        + "pass the 'next' link of the previous page (a cursor looks like 3-1207)");
            }
            try {
                return new Position(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
            } catch (NumberFormatException e) {
                throw ApiProblem.invalid("query.cursor", "'" + cursor + "' is out of range");
            }
        }
    }

    /** Up to {@code max} rejections after {@code after} (from the start when null). */
    List<RejectedRecord> read(@Nullable Position after, int max) {
        Instant deadline = Instant.now().plus(properties.rejectionsTimeout());
        List<RejectedRecord> page = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig());
                KafkaAvroDeserializer avro = avro()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ISSUES_REJECTED, remaining(deadline))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                    .filter(p -> after == null || p.partition() >= after.partition())
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            if (partitions.isEmpty()) {
                return page;
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, remaining(deadline));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, remaining(deadline));
            for (TopicPartition partition : partitions) {
                long from = after != null && partition.partition() == after.partition()
                        ? Math.max(after.offset() + 1, begin.get(partition)) : begin.get(partition);
                long to = end.get(partition);
                if (from >= to) {
                    continue;
                }
                consumer.assign(List.of(partition));
                consumer.seek(partition, from);
                while (page.size() < max && consumer.position(partition, remaining(deadline)) < to) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (page.size() < max && record.offset() < to) {
                            page.add(decode(avro, record));
                        }
                    }
                    remaining(deadline);
                }
                if (page.size() >= max) {
                    break;
                }
            }
            return page;
        } catch (KafkaException e) {
            throw unavailable(e.getMessage());
        }
    }

    private static RejectedRecord decode(KafkaAvroDeserializer avro, ConsumerRecord<byte[], byte[]> record) {
        String position = record.partition() + "-" + record.offset();
        try {
            Object value = avro.deserialize(record.topic(), record.headers(), record.value());
            if (value instanceof RecordRejected rejected) {
                return RejectedRecord.of(position, rejected);
            }
            return RejectedRecord.undecodable(position, Instant.ofEpochMilli(record.timestamp()),
                    value == null ? "no value" : value.getClass().getSimpleName());
        } catch (RuntimeException e) {
            return RejectedRecord.undecodable(position, Instant.ofEpochMilli(record.timestamp()),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "cwom-ingest-console-rejections");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    private KafkaAvroDeserializer avro() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        KafkaAvroDeserializer avro = new KafkaAvroDeserializer();
        avro.configure(config, false);
        return avro;
    }

    private static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw unavailable("reading the rejected records took longer than the console's rejections-timeout");
        }
        return left;
    }

    private static ApiProblem unavailable(@Nullable String why) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "EVENTS_UNAVAILABLE", "The rejected records on "
                + Topics.ISSUES_REJECTED + " could not be read: " + why + "; retry later");
    }
}
