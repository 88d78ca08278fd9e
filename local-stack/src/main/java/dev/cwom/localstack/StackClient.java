package dev.cwom.localstack;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.Topics;
import dev.cwom.json.CwomJson;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.KafkaAvroSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A client of the running stack as a producer or user would be one: REST calls to ingest-service, IssueSubmitted
 * records (and deliberately broken bytes) to Kafka, and a reader of the rejected topic. Used by the demo and the
 * end-to-end tests.
 */
public final class StackClient implements AutoCloseable {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String ingestUrl;
    private final String bootstrapServers;
    private final String registryUrl;
    private final String token;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaAvroSerializer avro = new KafkaAvroSerializer();

    /** @param token the API token sent with every HTTP request (to ingest and to the blob store) */
    public StackClient(String ingestUrl, String bootstrapServers, String registryUrl, String token) {
        this.ingestUrl = ingestUrl;
        this.token = token;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        producer = new KafkaProducer<>(producerConfig(bootstrapServers));
        avro.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                AvroSerdeConfig.BEARER_AUTH_TOKEN, token), false);
    }

    /**
     * The producer settings of a client of the stack (String keys, value bytes already in the wire format): this
     * client's, and the benchmark's, so its bare-broker figure and its Issues go through the same client.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Kafka's defaults, said out loud: a submitted Issue is acknowledged once every in-sync replica has it (with
        // --brokers=3, at least two), and a retry after a lost ack does not submit it twice.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    /** For the stack's own services. */
    public static StackClient of(LocalStack stack) {
        return new StackClient(stack.serviceUrl("ingest-service"), stack.bootstrapServers(), stack.registryUrl(),
                stack.credentials().admin());
    }

    public String ingestUrl() {
        return ingestUrl;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** GET on ingest-service; null for a 404. */
    public @Nullable JsonNode get(String path) {
        HttpResponse<String> response = send(request(URI.create(ingestUrl + path)).GET());
        if (response.statusCode() == 404) {
            return null;
        }
        return body(path, response);
    }

    /** POST of a JSON body on ingest-service; the answer's body. */
    public JsonNode post(String path, String json) {
        return body(path, send(request(URI.create(ingestUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))));
    }

    /**
     * POST of a JSON body on ingest-service that must answer {@code expectedStatus} (e.g. 201 for a Run or Artifact
     * posted with {@code ?wait=} once the sink stored it); the answer's body.
     */
    public JsonNode post(String path, String json, int expectedStatus) {
        return post(path, json, expectedStatus, Map.of());
    }

    /** {@link #post(String, String, int)} with extra request headers (a {@code traceparent}, say). */
    public JsonNode post(String path, String json, int expectedStatus, Map<String, String> headers) {
        HttpRequest.Builder request = request(URI.create(ingestUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response = send(request);
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ", not "
                    + expectedStatus + ": " + response.body());
        }
        return CwomJson.mapper().readTree(response.body());
    }

    /** PATCH of a JSON body on ingest-service (an Issue's status, say); the answer's body. */
    public JsonNode patch(String path, String json) {
        return body(path, send(request(URI.create(ingestUrl + path))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))));
    }

    /**
     * Any request on ingest-service as another caller: {@code token} as the bearer token, or no credentials when
     * null; the raw answer, whatever its status. For tests of who may do what.
     */
    public HttpResponse<String> call(String method, String path, @Nullable String json, @Nullable String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingestUrl + path)).timeout(HTTP_TIMEOUT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
    }

    /** The bytes at an absolute URL (a blob). */
    public byte[] download(String url) {
        try {
            HttpResponse<byte[]> response = http.send(request(URI.create(url)).timeout(HTTP_TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + url, e);
        }
    }

    /** An IssueSubmitted in the wire format (registry-encoded Avro), its schema registered when new. */
    public byte[] serialize(IssueSubmitted event) {
        return java.util.Objects.requireNonNull(avro.serialize(Topics.ISSUES_SUBMITTED, event));
    }

    /** Publishes an IssueSubmitted (Avro, registry-encoded) and waits for the ack. */
    public void submit(String key, IssueSubmitted event) {
        sendRaw(key, serialize(event));
    }

    /** Publishes an IssueSubmitted without waiting; {@link #flush()} waits for all. */
    public void submitAsync(String key, IssueSubmitted event) {
        producer.send(new ProducerRecord<>(Topics.ISSUES_SUBMITTED, key, avro.serialize(Topics.ISSUES_SUBMITTED,
                event)));
    }

    public void flush() {
        producer.flush();
    }

    /** Publishes raw value bytes to the submission topic (for records that are broken on purpose). */
    public void sendRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.ISSUES_SUBMITTED, key, value)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not publish " + key + " to " + Topics.ISSUES_SUBMITTED + " at "
                    + bootstrapServers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing " + key, e);
        }
    }

    /**
     * A reader of {@code cwom.issues.rejected.v1} from its current end: open it before sending the records whose
     * rejection you want to see.
     */
    public RejectedReader openRejectedReader() {
        return new RejectedReader(bootstrapServers, registryUrl);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        avro.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(HTTP_TIMEOUT).build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + built.method() + " " + built.uri(), e);
        }
    }

    private static JsonNode body(String path, HttpResponse<String> response) {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.request().method() + " " + path + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return CwomJson.mapper().readTree(response.body());
    }

    /** Reads RecordRejected from every partition of the rejected topic, starting at the end it had when opened. */
    public static final class RejectedReader implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaAvroDeserializer avro = new KafkaAvroDeserializer();

        RejectedReader(String bootstrapServers, String registryUrl) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(config);
            avro.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                    AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ISSUES_REJECTED, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /** What arrived within the timeout, keyed by the original record's key. */
        public Map<String, RecordRejected> poll(Duration timeout) {
            Map<String, RecordRejected> rejected = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
                String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                rejected.put(key, (RecordRejected) avro.deserialize(record.topic(), record.value()));
            }
            return rejected;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
            avro.close();
        }
    }

    /** The list's items of a {@code {"items": [...]}} answer. */
    public static List<JsonNode> items(@Nullable JsonNode page) {
        List<JsonNode> items = new ArrayList<>();
        if (page != null) {
            page.path("items").forEach(items::add);
        }
        return items;
    }
}
