package dev.cwom.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RunEvent;
import dev.cwom.json.CwomJson;
import dev.cwom.registry.SchemaRegistryServer;
import dev.cwom.testing.SharedKafka;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Proves byte- and protocol-level compatibility with third-party Confluent clients: Node's {@code kafkajs} and
 * {@code @kafkajs/confluent-schema-registry} (pinned in src/test/js/package-lock.json, installed by this test into
 * target/interop-js) talk to our registry server and read and write records with our serde over a real broker, and
 * Confluent's own Node.js client ({@code @confluentinc/schemaregistry}) deletes soft and hard and switches modes.
 */
class ThirdPartyClientInteropTests {

    private static final Path JS_SOURCES = Path.of("src/test/js").toAbsolutePath();
    private static final Path JS_WORK = Path.of("target/interop-js").toAbsolutePath();
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private static final String PROBE_V1 = """
            {"type":"record","name":"Probe","namespace":"dev.cwom.test","fields":[{"name":"a","type":"string"}]}""";
    private static final String PROBE_V2 = """
            {"type":"record","name":"Probe","namespace":"dev.cwom.test","fields":[{"name":"a","type":"string"},
             {"name":"b","type":["null","long"],"default":null}]}""";

    private final String javaTopic = "interop-java-" + UUID.randomUUID();
    private final String jsTopic = "interop-js-" + UUID.randomUUID();
    private SchemaRegistryServer registry;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = new SchemaRegistryServer(SchemaRegistryServer.Settings.defaults()
                .withKafka(SharedKafka.bootstrapServers()).withTopic("_schemas-interop-" + UUID.randomUUID()));
        registry.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(javaTopic, 1, (short) 1), new NewTopic(jsTopic, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void kafkajsClientsReadOurRecordsAndWriteOnesWeReadBackEqual() throws Exception {
        installJsClients();
        RunEvent sent = SampleEvents.runFinished();
        int javaSchemaId;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                new KafkaAvroSerializer(SchemaRegistryClients.create(AvroSerdeConfig.from(serdeConfig())),
                        serdeConfig(), false))) {
            producer.send(new ProducerRecord<>(javaTopic, sent.getRunId(), sent)).get(30, TimeUnit.SECONDS);
            javaSchemaId = SchemaRegistryClients.create(AvroSerdeConfig.from(serdeConfig()))
                    .lookupId(javaTopic + "-value", RunEvent.getClassSchema());
        }
        ArtifactCreated expected = SampleEvents.artifact();

        JsonNode result = runNode("interop.mjs", Map.of(
                "BOOTSTRAP_SERVERS", SharedKafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.url(),
                "JAVA_TOPIC", javaTopic,
                "JS_TOPIC", jsTopic,
                "ARTIFACT_AVSC", Path.of("src/main/avro/ArtifactCreated.avsc").toAbsolutePath().toString(),
                "ARTIFACT_JSON", plainJson(expected).toString()));

        // the JS registry client registered and fetched through our registry
        int jsSchemaId = result.get("registeredId").asInt();
        assertThat(result.get("latestId").asInt()).isEqualTo(jsSchemaId);
        // the .avsc as registered from JS lacks the generated class's Java-only "avro.java.string" hints
        Schema registeredFromJs = SchemaRegistryClients.create(AvroSerdeConfig.from(serdeConfig()))
                .latest(jsTopic + "-value").schema();
        assertThat(SchemaNormalization.toParsingForm(registeredFromJs))
                .isEqualTo(SchemaNormalization.toParsingForm(ArtifactCreated.getClassSchema()));
        assertThat(result.get("javaSchemaId").asInt()).isEqualTo(javaSchemaId);
        assertThat(result.get("fetchedName").asString()).isEqualTo("dev.cwom.events.RunEvent");
        // it decoded what our serializer wrote
        JsonNode decoded = result.get("decoded");
        assertThat(decoded.get("event_id").asString()).isEqualTo(sent.getEventId());
        assertThat(decoded.get("run_id").asString()).isEqualTo(sent.getRunId());
        assertThat(decoded.get("occurred_at").asLong()).isEqualTo(sent.getOccurredAt().toEpochMilli());
        assertThat(decoded.get("worker_id").asString()).isEqualTo("worker-1");
        assertThat(decoded.toString())
                .contains("\"status\":\"failed\"", "2 tests failed", "ünïcödé summary", "\"cost_tokens\":12345")
                .contains(Long.toString(SampleEvents.STARTED.toEpochMilli()));
        // and what it wrote, our deserializer reads back equal
        ConsumerRecord<String, byte[]> written = readOne(jsTopic);
        assertThat(written.value()[0]).isZero();
        assertThat(ByteBuffer.wrap(written.value(), 1, 4).getInt()).isEqualTo(jsSchemaId);
        Map<String, Object> specific = new HashMap<>(serdeConfig());
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(specific, false);
        assertThat(deserializer.deserialize(jsTopic, written.value())).isEqualTo(expected);
    }

    @Test
    void confluentsClientDeletesSoftThenHardListsDeletedOnesAndSwitchesModes() throws Exception {
        installJsClients();
        String subject = "interop-admin-" + UUID.randomUUID() + "-value";

        JsonNode r = runNode("registry-admin.mjs", Map.of(
                "SCHEMA_REGISTRY_URL", registry.url(),
                "SUBJECT", subject,
                "SCHEMA_V1", PROBE_V1,
                "SCHEMA_V2", PROBE_V2));

        int id1 = r.get("id1").asInt();
        int id2 = r.get("id2").asInt();
        assertThat(id2).isNotEqualTo(id1);
        assertThat(r.get("softVersion").asInt()).isEqualTo(1);
        assertThat(r.get("versionsAfterVersionDelete").toString()).isEqualTo("[2]");
        assertThat(r.get("deletedVersion1Id").asInt()).isEqualTo(id1);
        assertThat(r.get("softVersionAgain").asInt()).isEqualTo(40406);
        assertThat(r.get("hardVersion2WithoutSoft").asInt()).isEqualTo(40407);
        assertThat(r.get("hardSubjectWithoutSoft").asInt()).isEqualTo(40405);
        assertThat(r.get("softSubject").toString()).isEqualTo("[2]");
        assertThat(r.get("softSubjectAgain").asInt()).isEqualTo(40404);
        assertThat(r.get("subjects").toString()).doesNotContain(subject);
        assertThat(r.get("subjectsWithDeleted").toString()).contains(subject);
        assertThat(r.get("versionsWithDeleted").toString()).isEqualTo("[1,2]");
        assertThat(r.get("liveVersions").asInt()).isEqualTo(40401);
        assertThat(r.get("lookupDeletedVersion").asInt()).isEqualTo(2);
        assertThat(r.get("id2Usages").toString()).isEqualTo("[{\"subject\":\"" + subject + "\",\"version\":2}]");
        assertThat(r.get("id2Schema").asString()).contains("\"b\"");
        assertThat(r.get("hardSubject").toString()).isEqualTo("[1,2]");
        assertThat(r.get("subjectsAfterHard").toString()).doesNotContain(subject);
        assertThat(r.get("versionAfterHard").asInt()).isEqualTo(40401);
        assertThat(r.get("readOnly").get("mode").asString()).isEqualTo("READONLY");
        assertThat(r.get("registerReadOnly").asInt()).isEqualTo(42205);
        assertThat(r.get("readWrite").get("mode").asString()).isEqualTo("READWRITE");
        assertThat(r.get("subjectImport").get("mode").asString()).isEqualTo("IMPORT");
        assertThat(r.get("subjectMode").get("mode").asString()).isEqualTo("IMPORT");
        assertThat(r.get("registerImportWithoutId").asInt()).isEqualTo(42205);
        assertThat(r.get("imported").get("id").asInt()).isEqualTo(7777);
        assertThat(r.get("importedVersion").get("id").asInt()).isEqualTo(7777);
        assertThat(r.get("importedVersion").get("version").asInt()).isEqualTo(5);
        assertThat(r.get("subjectModeCleared").get("mode").asString()).isEqualTo("IMPORT");
        assertThat(r.get("globalMode").get("mode").asString()).isEqualTo("READWRITE");
        assertThat(r.get("badMode").asInt()).isEqualTo(42204);
    }

    /** A flat record as the plain JSON avsc takes: timestamps as epoch millis, enums as their symbol. */
    private static ObjectNode plainJson(ArtifactCreated record) {
        ObjectNode json = CwomJson.mapper().createObjectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            switch (value) {
                case null -> json.putNull(field.name());
                case Instant instant -> json.put(field.name(), instant.toEpochMilli());
                case Long number -> json.put(field.name(), number);
                case List<?> items -> {
                    var array = json.putArray(field.name());
                    items.forEach(item -> array.add(item.toString()));
                }
                default -> json.put(field.name(), value.toString());
            }
        }
        return json;
    }

    private Map<String, Object> serdeConfig() {
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return props;
    }

    private static ConsumerRecord<String, byte[]> readOne(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "interop-java-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    return record;
                }
            }
        }
        return fail("No record arrived on %s within 60 s", topic);
    }

    private static void installJsClients() throws Exception {
        Files.createDirectories(JS_WORK);
        String nodeVersion = tool("node", "--version");
        tool("npm", "--version");
        int major = Integer.parseInt(nodeVersion.trim().replaceFirst("^v", "").split("\\.")[0]);
        assertThat(major).as("Node.js %s is too old for the interop test: install Node.js 20 or newer",
                nodeVersion.trim()).isGreaterThanOrEqualTo(20);
        Path marker = JS_WORK.resolve("node_modules/.cwom-installed-lock");
        byte[] lock = Files.readAllBytes(JS_SOURCES.resolve("package-lock.json"));
        for (String file : List.of("package.json", "package-lock.json", "interop.mjs", "registry-admin.mjs")) {
            Files.copy(JS_SOURCES.resolve(file), JS_WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        // npm ci wipes and re-installs; skip it when the same lock file is already installed here
        if (Files.exists(marker) && java.util.Arrays.equals(Files.readAllBytes(marker), lock)) {
            return;
        }
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(), INSTALL_TIMEOUT,
                JS_WORK.resolve("npm-ci.log"));
        Files.write(marker, lock);
    }

    private static JsonNode runNode(String script, Map<String, String> env) throws Exception {
        String output = run(List.of("node", script), env, RUN_TIMEOUT,
                JS_WORK.resolve(script.replace(".mjs", ".log")));
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                return CwomJson.mapper().readTree(line.substring("RESULT ".length()));
            }
        }
        return fail("node %s printed no RESULT line:%n%s", script, output);
    }

    /** Runs {@code command --version}, failing with what to install when it is missing. */
    private static String tool(String... command) throws Exception {
        try {
            return run(List.of(command), Map.of(), Duration.ofSeconds(60), null);
        } catch (IOException e) {
            return fail("'%s' was not found on the PATH. This test proves interoperability with Node's kafkajs"
                    + " clients and needs Node.js 20+ with npm: install them (e.g. 'apt-get install nodejs npm',"
                    + " or from nodejs.org) and make sure 'node' and 'npm' are on the PATH. (%s)", command[0], e);
        }
    }

    private static String run(List<String> command, Map<String, String> env, Duration timeout, Path log)
            throws Exception {
        Path output = log != null ? log : Files.createTempFile(JS_WORK.getParent(), "tool", ".log");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .directory(JS_WORK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        builder.environment().put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return fail("%s did not finish within %s; its output:%n%s", command, timeout,
                        Files.readString(output));
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                return fail("%s exited with %d; its output:%n%s", command, process.exitValue(), text);
            }
            return text;
        } finally {
            if (log == null) {
                Files.deleteIfExists(output);
            }
        }
    }
}
