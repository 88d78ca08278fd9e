package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.auth.ApiTokens;
import dev.cwom.auth.Scopes;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be started here (no Docker engine), so it is checked against what the services accept:
 * every variable binds to a property of that service, ports agree with the service's port, every host:port a value
 * names is a service of the file listening there, start order waits on health checks; the one-shot service
 * {@code credentials} is run (its script, with {@code sh}, in a temporary folder) and what it writes is checked
 * against what each service imports and binds.
 */
class DockerComposeTests {

    /** Compose service -> module folder and application class of our own services. */
    private static final Map<String, String[]> SERVICES = Map.of(
            "ingest-service", new String[] {"ingest-service", ServiceJars.INGEST},
            "worker-service", new String[] {"worker-service", ServiceJars.WORKER},
            "artifact-service", new String[] {"artifact-service", ServiceJars.ARTIFACT});
    /** Read by the Paketo health-checker in the images, not by the application. */
    private static final Set<String> HEALTH_CHECKER_VARIABLES = Set.of("THC_PORT", "THC_PATH");
    private static final Pattern HOST_PORT = Pattern.compile("(?:[a-z]+://)?([a-z][a-z0-9-]*):(\\d+)");
    /** The one-shot service that makes the credentials, and the variable naming the folder it writes under. */
    private static final String INIT = "credentials";
    private static final String INIT_DIR_VARIABLE = "CWOM_CREDENTIALS_DIR";
    private static final String OPERATOR_FILE = "operator/credentials.env";

    private static final Map<String, ServiceConfiguration> CONFIGURATIONS = new LinkedHashMap<>();

    private static Path root;
    private static Map<String, Map<String, Object>> compose;

    @TempDir
    static Path scratch;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readComposeFile() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        root = Files.exists(dir.resolve("docker-compose.yml")) ? dir : dir.getParent();
        try (InputStream in = Files.newInputStream(root.resolve("docker-compose.yml"))) {
            Map<String, Object> file = new Yaml().load(in);
            compose = (Map<String, Map<String, Object>>) file.get("services");
        }
    }

    @Test
    void runsTheInfrastructureAndEachOfTheThreeServicesFromItsBuiltImage() {
        assertThat(compose).containsKeys("postgres", "schema-registry",
                "ingest-service", "worker-service", "artifact-service");
        assertThat(brokers()).as("Kafka nodes (apache/kafka)").hasSize(3);
        assertThat((String) compose.get("postgres").get("image")).isEqualTo("postgres:16");
        assertThat((String) compose.get("schema-registry").get("image")).startsWith("confluentinc/cp-schema-registry:");
        SERVICES.keySet().forEach(name ->
                assertThat((String) compose.get(name).get("image")).as(name).startsWith(name + ":"));
    }

    @Test
    void everyServiceVariableBindsToAPropertyOfThatServiceAndItsPortsAgree() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, String[]> service : SERVICES.entrySet()) {
            String name = service.getKey();
            ServiceConfiguration config = configuration(name);
            Map<String, String> env = environment(name);
            env.keySet().stream().filter(variable -> !HEALTH_CHECKER_VARIABLES.contains(variable)).forEach(variable ->
                    softly.assertThat(config.accepts(variable))
                            .as("%s: %s binds to no property of its application.yml or @ConfigurationProperties",
                                    name, variable)
                            .isTrue());

            String portVariable = config.placeholders().entrySet().stream()
                    .filter(e -> e.getValue().equals("server.port")).map(Map.Entry::getKey).findFirst().orElseThrow();
            String port = env.getOrDefault(portVariable, config.defaults().get(portVariable));
            softly.assertThat(containerPorts(name)).as("%s listens on %s (%s)", name, port, portVariable)
                    .contains(port);
            softly.assertThat(env.get("THC_PORT")).as("%s: health check port", name).isEqualTo(port);
        }
        softly.assertAll();
    }

    @Test
    void everyAddressInAValueIsAServiceOfTheFileListeningOnThatPort() {
        SoftAssertions softly = new SoftAssertions();
        compose.forEach((name, service) -> environment(name).forEach((variable, value) -> {
            Matcher m = HOST_PORT.matcher(value);
            while (m.find()) {
                String host = m.group(1);
                if (compose.containsKey(host)) {
                    softly.assertThat(containerPorts(host)).as("%s: %s=%s", name, variable, value)
                            .contains(m.group(2));
                } else if (!host.equals("localhost")) {
                    softly.fail("%s: %s=%s names %s, which is no service of the file", name, variable, value, host);
                }
            }
        }));
        softly.assertAll();
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryServiceAndGrafanaLoadsTheDashboardFromTheRepository() throws Exception {
        assertThat((String) compose.get("prometheus").get("image")).matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
        assertThat((String) compose.get("grafana").get("image")).matches("grafana/grafana:\\d+\\.\\d+\\.\\d+");
        Map<String, Path> mounted = new LinkedHashMap<>();
        for (String name : List.of("prometheus", "grafana")) {
            for (String volume : volumes(name)) {
                String[] parts = volume.split(":");
                if (parts[0].startsWith("./")) {
                    Path source = root.resolve(parts[0]);
                    assertThat(source).as("%s mounts %s", name, parts[0]).exists();
                    assertThat(parts).as("%s: %s read-only", name, volume).hasSize(3);
                    mounted.put(parts[1], source);
                }
            }
        }
        Map<String, Object> config = new Yaml().load(Files.readString(mounted.get("/etc/prometheus/prometheus.yml")));
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        for (String service : SERVICES.keySet()) {
            String port = environment(service).get("THC_PORT");
            assertThat(jobs).as("a job scrapes %s:%s/actuator/prometheus", service, port).anySatisfy(job -> {
                assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
                assertThat(job.toString()).contains(service).contains(port);
            });
        }
        Path dashboards = mounted.get("/var/lib/grafana/dashboards");
        try (Stream<Path> files = Files.list(dashboards)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json")).toList()).as("dashboards").isNotEmpty();
        }
        assertThat(mounted.get("/etc/grafana/provisioning").resolve("datasources/prometheus.yml")).isRegularFile()
                .content().contains("http://prometheus:9090");
    }

    @Test
    void theServicesUseTheDatabasePostgresIsCreatedWith() {
        Map<String, String> postgres = environment("postgres");
        for (String name : List.of("ingest-service", "artifact-service")) {
            Map<String, String> env = environment(name);
            assertThat(env.get("CWOM_DB_URL")).as(name).endsWith("/" + postgres.get("POSTGRES_DB"));
            assertThat(env.get("CWOM_DB_USER")).as(name).isEqualTo(postgres.get("POSTGRES_USER"));
        }
        // The password is made by `credentials`: see theInitScriptMakesWhatEachServiceImports.
        assertThat(postgres).doesNotContainKey("POSTGRES_PASSWORD").containsKey("POSTGRES_PASSWORD_FILE");
    }

    @Test
    void noSecretIsInTheFile() {
        SoftAssertions softly = new SoftAssertions();
        compose.keySet().forEach(name -> environment(name).forEach((variable, value) ->
                softly.assertThat(variable).as("%s: %s=%s: a secret belongs in the credentials volumes", name,
                        variable, value).doesNotEndWith("PASSWORD").doesNotEndWith("TOKEN")
                        .doesNotEndWith("USER_INFO").doesNotContain("SECRET")));
        softly.assertAll();
        try {
            assertThat(Files.readString(root.resolve("docker-compose.yml")))
                    .doesNotContainPattern(ApiTokens.PREFIX + "[A-Za-z0-9_-]{20,}").doesNotContainPattern("[0-9a-f]{40,}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyKafkaVariableIsABrokerSetting() {
        Set<String> known = KafkaConfig.configDef().names();
        List<String> unknown = new ArrayList<>();
        for (String broker : brokers()) {
            brokerSettings(broker).keySet().stream().filter(setting -> !known.contains(setting))
                    .forEach(setting -> unknown.add(broker + ": " + setting));
            assertThat(environment(broker).get("CLUSTER_ID")).as("a base64 UUID, as kafka-storage random-uuid prints")
                    .matches("[A-Za-z0-9_-]{22}");
        }
        assertThat(unknown).as("KAFKA_* variables that are no broker setting").isEmpty();
    }

    @Test
    void theBrokersAreOneClusterWithEveryNodeAVoterOfItsQuorum() {
        List<String> brokers = brokers();
        Set<String> voters = new LinkedHashSet<>();
        Set<String> nodeIds = new LinkedHashSet<>();
        for (String broker : brokers) {
            Map<String, String> settings = brokerSettings(broker);
            assertThat(settings.get("process.roles")).as(broker).isEqualTo("broker,controller");
            voters.add(settings.get("controller.quorum.voters"));
            nodeIds.add(settings.get("node.id"));
            assertThat(environment(broker).get("CLUSTER_ID")).as("%s formats the cluster's storage", broker)
                    .isEqualTo(environment(brokers.getFirst()).get("CLUSTER_ID"));
        }
        assertThat(voters).as("one quorum").hasSize(1);
        assertThat(nodeIds).as("node ids").hasSize(brokers.size());
        Map<String, String> voterAddresses = Arrays.stream(voters.iterator().next().split(","))
                .map(voter -> voter.split("@")).collect(Collectors.toMap(v -> v[0], v -> v[1]));
        assertThat(voterAddresses.keySet()).as("every node votes, and no one else")
                .containsExactlyInAnyOrderElementsOf(nodeIds);
        for (String broker : brokers) {
            String controller = voterAddresses.get(brokerSettings(broker).get("node.id"));
            assertThat(controller).as("%s's voter address", broker).startsWith(broker + ":");
            assertThat(brokerSettings(broker).get("listeners")).as(broker)
                    .contains("CONTROLLER://:" + controller.substring(controller.indexOf(':') + 1));
        }
    }

    @Test
    void everyTopicHasAReplicaOnEachOfTheThreeNodesAndAWriteNeedsTwo() {
        String replicas = Integer.toString(brokers().size());
        SoftAssertions softly = new SoftAssertions();
        for (String broker : brokers()) {
            Map<String, String> settings = brokerSettings(broker);
            for (String setting : List.of("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor", "share.coordinator.state.topic.replication.factor")) {
                softly.assertThat(settings.get(setting)).as("%s: %s", broker, setting).isEqualTo(replicas);
            }
            for (String setting : List.of("min.insync.replicas", "transaction.state.log.min.isr",
                    "share.coordinator.state.topic.min.isr")) {
                softly.assertThat(settings.get(setting)).as("%s: %s", broker, setting).isEqualTo("2");
            }
        }
        // The topics the services create, and the registry's _schemas, are replicated as the cluster.
        for (String service : List.of("ingest-service", "artifact-service")) {
            softly.assertThat(environment(service)).as(service)
                    .containsEntry("CWOM_KAFKA_TOPICS_REPLICATIONFACTOR", replicas)
                    .containsEntry("CWOM_KAFKA_TOPICS_MININSYNCREPLICAS", "2");
        }
        softly.assertThat(environment("schema-registry"))
                .containsEntry("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", replicas);
        softly.assertAll();
    }

    @Test
    void everyKafkaClientIsGivenEveryBrokerAndWaitsForAllOfThem() {
        Set<String> brokers = new LinkedHashSet<>(brokers());
        Map<String, String> clients = new LinkedHashMap<>();
        SERVICES.keySet().forEach(name -> clients.put(name, "KAFKA_BOOTSTRAP_SERVERS"));
        clients.put("schema-registry", "SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS");
        clients.forEach((client, variable) -> {
            Set<String> named = new LinkedHashSet<>();
            Matcher m = HOST_PORT.matcher(environment(client).get(variable));
            while (m.find()) {
                named.add(m.group(1));
            }
            assertThat(named).as("%s: %s", client, variable).isEqualTo(brokers);
            assertThat(dependencies(client)).as("%s waits for every broker", client).containsAll(brokers);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasAHealthCheckAndWaitsForItsDependenciesToBeHealthyOrDone() {
        SoftAssertions softly = new SoftAssertions();
        compose.forEach((name, service) -> {
            if (oneShot(name)) {
                softly.assertThat(service).as("%s runs once: no healthcheck, no dependencies", name)
                        .doesNotContainKeys("healthcheck", "depends_on");
                return;
            }
            softly.assertThat(service).as("%s has a healthcheck", name).containsKey("healthcheck");
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            softly.assertThat(dependsOn).as("%s: depends_on with conditions", name).isInstanceOf(Map.class);
            ((Map<String, Map<String, Object>>) dependsOn).forEach((dependency, condition) -> {
                softly.assertThat(compose).as("%s depends on %s", name, dependency).containsKey(dependency);
                softly.assertThat(condition).as("%s -> %s", name, dependency).containsEntry("condition",
                        oneShot(dependency) ? "service_completed_successfully" : "service_healthy");
            });
        });
        softly.assertAll();
        assertThat((Map<String, Object>) compose.get("artifact-service").get("depends_on"))
                .as("artifact-service's tables come from ingest-service's migrations").containsKey("ingest-service");
        Stream.concat(SERVICES.keySet().stream(), Stream.of("postgres")).forEach(name ->
                assertThat((Map<String, Object>) compose.get(name).get("depends_on"))
                        .as("%s starts after its credentials exist", name).containsKey(INIT));
    }

    @Test
    void eachServiceMountsOnlyItsOwnCredentialsReadOnlyAndNoneTheOperators() {
        Map<String, String> written = initMounts();
        assertThat(written).as("%s writes the operator's file in a volume of its own", INIT)
                .containsValue(initDir() + "/operator");
        String operatorVolume = written.entrySet().stream()
                .filter(e -> e.getValue().equals(initDir() + "/operator")).findFirst().orElseThrow().getKey();
        Map<String, String> owner = new LinkedHashMap<>();
        compose.keySet().stream().filter(name -> !name.equals(INIT)).forEach(name -> volumes(name).forEach(volume -> {
            String[] parts = volume.split(":");
            if (!written.containsKey(parts[0])) {
                return;
            }
            assertThat(parts[0]).as("%s mounts the operator's tokens", name).isNotEqualTo(operatorVolume);
            assertThat(parts).as("%s: %s read-only", name, volume).hasSize(3);
            assertThat(parts[2]).as("%s: %s read-only", name, volume).isEqualTo("ro");
            String before = owner.put(parts[0], name);
            assertThat(before).as("%s is mounted by %s and %s", parts[0], before, name).isNull();
        }));
        assertThat(owner.keySet()).as("every volume %s writes but the operator's has its service", INIT)
                .containsExactlyInAnyOrderElementsOf(written.keySet().stream()
                        .filter(volume -> !volume.equals(operatorVolume)).toList());
    }

    @Test
    void theInitScriptMakesWhatEachServiceImportsAndDoesNothingTheSecondTime() throws Exception {
        Path dir = Files.createDirectory(scratch.resolve("credentials"));
        String firstOutput = runInitScript(dir);

        Map<String, String> tokens = readEnvFile(dir.resolve(OPERATOR_FILE));
        Map<String, Credentials.Token> byVariable = Arrays.stream(Credentials.Token.values())
                .collect(Collectors.toMap(token -> token.variable, token -> token));
        assertThat(tokens.keySet()).as("the operator's file: the local stack's token variables, the database's and"
                + " Grafana's").containsExactlyInAnyOrderElementsOf(Stream.concat(byVariable.keySet().stream(),
                        Stream.of("CWOM_DB_PASSWORD", "CWOM_GRAFANA_ADMIN_PASSWORD")).toList());
        tokens.forEach((variable, value) -> {
            if (byVariable.containsKey(variable)) {
                assertThat(value).as(variable).matches(ApiTokens.PREFIX + "[A-Za-z0-9_-]{43}");
            }
        });
        assertThat(tokens.values()).as("every secret is its own").doesNotHaveDuplicates();
        assertThat(tokens.get("CWOM_DB_PASSWORD")).matches("[0-9a-f]{48}");
        assertThat(permissions(dir.resolve("operator"))).isEqualTo("rwx------");
        assertThat(permissions(dir.resolve(OPERATOR_FILE))).isEqualTo("rw-------");

        Map<String, String> principals = new LinkedHashMap<>();
        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, String[]> service : SERVICES.entrySet()) {
            String name = service.getKey();
            ServiceConfiguration config = configuration(name);
            String imported = environment(name).get("SPRING_CONFIG_IMPORT");
            assertThat(imported).as("%s imports its credentials, not optionally: without them it must not start", name)
                    .startsWith("file:/");
            Path file = written(name, imported.substring("file:".length()), dir);
            assertThat(file).as("%s imports %s, which %s makes", name, imported, INIT).isRegularFile();
            assertThat(permissions(file)).as(file.toString()).isEqualTo("r--r--r--");
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            properties.stringPropertyNames().forEach(key -> softly.assertThat(config.acceptsProperty(key))
                    .as("%s: %s in %s binds to no property of it", name, key, file.getFileName()).isTrue());

            // Every token as a hash with its principal and scopes, the same as the local stack's; no token itself.
            for (int i = 0; i < byVariable.size(); i++) {
                String prefix = "cwom.security.api-tokens[" + i + "].";
                String hash = properties.getProperty(prefix + "sha256");
                String variable = tokens.entrySet().stream()
                        .filter(e -> ApiTokens.sha256Hex(e.getValue()).equals(hash))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                softly.assertThat(variable).as("%s: %ssha256 is the hash of a token of the operator's file",
                        name, prefix).isNotNull();
                if (variable != null && byVariable.containsKey(variable)) {
                    softly.assertThat(properties.getProperty(prefix + "scopes"))
                            .as("%s: scopes of %s", name, variable)
                            .isEqualTo(String.join(",", byVariable.get(variable).scopes));
                    String principal = properties.getProperty(prefix + "name");
                    String before = principals.put(variable, principal);
                    softly.assertThat(before == null || before.equals(principal))
                            .as("%s: %s is %s, elsewhere %s", name, variable, principal, before).isTrue();
                }
            }
            softly.assertThat(properties.getProperty("cwom.security.api-tokens[" + byVariable.size() + "].name"))
                    .as("%s: no token beyond the operator's file", name).isNull();
            properties.stringPropertyNames().forEach(key -> softly.assertThat(properties.getProperty(key))
                    .as("%s: %s", name, key).doesNotContain(tokens.get("CWOM_ADMIN_TOKEN"),
                            tokens.get("CWOM_SUBMIT_TOKEN"), tokens.get("CWOM_READ_TOKEN"),
                            tokens.get("CWOM_REPORT_TOKEN")));

            // Its registry credentials: its own principal and token, as Confluent's basic.auth.* properties.
            String own = switch (name) {
                case "ingest-service" -> "CWOM_INGEST_TOKEN";
                case "artifact-service" -> "CWOM_SINK_TOKEN";
                default -> "CWOM_WORKER_TOKEN";
            };
            softly.assertThat(properties.getProperty("spring.kafka.properties.basic.auth.credentials.source"))
                    .as(name).isEqualTo("USER_INFO");
            softly.assertThat(properties.getProperty("spring.kafka.properties.basic.auth.user.info")).as(name)
                    .isEqualTo(principals.get(own) + ":" + tokens.get(own));
            softly.assertThat(byVariable.get(own).scopes).as(name).contains(Scopes.SCHEMAS_WRITE);
            if (name.equals("worker-service")) {
                softly.assertThat(properties.getProperty("cwom.worker.blobs.token")).as("the worker's blob token")
                        .isEqualTo(tokens.get("CWOM_WORKER_TOKEN"));
                softly.assertThat(byVariable.get(own).scopes).contains(Scopes.BLOBS_WRITE);
            } else {
                softly.assertThat(properties.getProperty("spring.datasource.password")).as(name)
                        .isEqualTo(tokens.get("CWOM_DB_PASSWORD"));
            }
        }
        softly.assertAll();

        // artifact-service gives the worker's principal no quota (0 = unlimited): its traces are never deleted.
        Map<String, String> artifact = environment("artifact-service");
        String worker = principals.get("CWOM_WORKER_TOKEN").toUpperCase(Locale.ROOT).replace("-", "");
        assertThat(artifact).containsEntry("CWOM_ARTIFACT_BLOBS_QUOTA_PRINCIPALS_" + worker + "_BYTES", "0")
                .containsEntry("CWOM_ARTIFACT_BLOBS_QUOTA_PRINCIPALS_" + worker + "_UPLOADSPERMINUTE", "0");

        // PostgreSQL is created with the password the services are given.
        Path password = written("postgres", environment("postgres").get("POSTGRES_PASSWORD_FILE"), dir);
        assertThat(password).isRegularFile();
        assertThat(Files.readString(password).strip()).isEqualTo(tokens.get("CWOM_DB_PASSWORD"));
        // Grafana's admin logs in with the password of the operator's file.
        Path grafana = written("grafana", environment("grafana").get("GF_SECURITY_ADMIN_PASSWORD__FILE"), dir);
        assertThat(Files.readString(grafana)).matches("[0-9a-f]{32}")
                .isEqualTo(tokens.get("CWOM_GRAFANA_ADMIN_PASSWORD"));

        // The second start changes nothing and says nothing.
        Map<Path, String> contents = contents(dir);
        Map<Path, FileTime> times = new LinkedHashMap<>();
        for (Path file : contents.keySet()) {
            times.put(file, Files.getLastModifiedTime(file));
        }
        assertThat(firstOutput).contains("wrote");
        assertThat(runInitScript(dir)).as("second run's output").isBlank();
        assertThat(contents(dir)).isEqualTo(contents);
        for (Path file : contents.keySet()) {
            assertThat(Files.getLastModifiedTime(file)).as("%s untouched", file).isEqualTo(times.get(file));
        }

        // A lost service file is made again from the tokens in force, which stay.
        Path workerFile = written("worker-service",
                environment("worker-service").get("SPRING_CONFIG_IMPORT").substring("file:".length()), dir);
        Files.delete(workerFile);
        assertThat(runInitScript(dir)).contains(workerFile.getFileName().toString());
        assertThat(contents(dir)).isEqualTo(contents);
    }

    /** The Kafka nodes of the file: its services running the Apache Kafka image. */
    private static List<String> brokers() {
        return compose.entrySet().stream()
                .filter(e -> String.valueOf(e.getValue().get("image")).startsWith("apache/kafka:"))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** A broker's KAFKA_* variables as the settings they are (the Apache image's rule). */
    private static Map<String, String> brokerSettings(String broker) {
        Map<String, String> settings = new LinkedHashMap<>();
        environment(broker).forEach((variable, value) -> {
            if (variable.startsWith("KAFKA_")) {
                // KAFKA_ dropped, ___ -> '-', __ -> '_', _ -> '.'.
                settings.put(variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace("___", "-")
                        .replace("__", "\u0000").replace('_', '.').replace('\u0000', '_'), value);
            }
        });
        return settings;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> dependencies(String service) {
        Object dependsOn = compose.get(service).get("depends_on");
        return dependsOn instanceof Map<?, ?> map ? ((Map<String, Object>) map).keySet() : Set.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) {
        Object env = compose.get(service).get("environment");
        if (env == null) {
            return Map.of();
        }
        assertThat(env).as("%s: environment as a map", service).isInstanceOf(Map.class);
        Map<String, String> values = new java.util.LinkedHashMap<>();
        ((Map<String, Object>) env).forEach((k, v) -> values.put(k, String.valueOf(v)));
        return values;
    }

    /** What {@code service} (one of {@link #SERVICES}) accepts, read once per test class. */
    private static synchronized ServiceConfiguration configuration(String service) throws Exception {
        ServiceConfiguration config = CONFIGURATIONS.get(service);
        if (config == null) {
            String[] moduleAndJar = SERVICES.get(service);
            config = ServiceConfiguration.read(
                    root.resolve(moduleAndJar[0]).resolve("src/main/resources/application.yml"),
                    ServiceJars.of(moduleAndJar[1]), scratch);
            CONFIGURATIONS.put(service, config);
        }
        return config;
    }

    private static boolean oneShot(String service) {
        return "no".equals(String.valueOf(compose.get(service).get("restart")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(String service) {
        return ((List<Object>) compose.get(service).getOrDefault("volumes", List.of())).stream()
                .map(String::valueOf).toList();
    }

    private static String initDir() {
        return environment(INIT).get(INIT_DIR_VARIABLE);
    }

    /** Volume -> where {@code credentials} mounts it (under {@link #initDir()}). */
    private static Map<String, String> initMounts() {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (String volume : volumes(INIT)) {
            String[] parts = volume.split(":");
            assertThat(parts[1]).as("%s mounts %s under %s", INIT, volume, initDir()).startsWith(initDir() + "/");
            mounts.put(parts[0], parts[1]);
        }
        return mounts;
    }

    /** Where, under {@code dir} (the script's {@link #INIT_DIR_VARIABLE}), the file {@code path} of {@code service} is. */
    private static Path written(String service, String path, Path dir) {
        Map<String, String> mounts = initMounts();
        for (String volume : volumes(service)) {
            String[] parts = volume.split(":");
            if (mounts.containsKey(parts[0]) && path.startsWith(parts[1] + "/")) {
                return dir.resolve(mounts.get(parts[0]).substring(initDir().length() + 1))
                        .resolve(path.substring(parts[1].length() + 1));
            }
        }
        throw new AssertionError(service + ": " + path + " is in no volume that " + INIT + " writes");
    }

    /**
     * Runs the script of {@code credentials} as its container would, with {@code dir} in place of its folder: Compose
     * turns {@code $$} into {@code $} and would interpolate any other {@code $}, which the script must not have.
     */
    @SuppressWarnings("unchecked")
    private static String runInitScript(Path dir) throws Exception {
        List<String> command = (List<String>) compose.get(INIT).get("command");
        assertThat(command).hasSize(3).startsWith("sh", "-c");
        String text = command.get(2);
        assertThat(text.replace("$$", "")).as("every $ in the script is written $$").doesNotContain("$");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", text.replace("$$", "$")).redirectErrorStream(true);
        builder.environment().put(INIT_DIR_VARIABLE, dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
        assertThat(process.exitValue()).as("the script's exit status; it printed: %s", output).isZero();
        return output;
    }

    private static Map<String, String> readEnvFile(Path file) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                assertThat(values.put(line.substring(0, equals), line.substring(equals + 1))).as(line).isNull();
            }
        }
        return values;
    }

    private static Map<Path, String> contents(Path dir) throws Exception {
        Map<Path, String> contents = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                contents.put(file, Files.readString(file));
            }
        }
        return contents;
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** Ports the service's container listens on: the container side of ports, expose, and *_LISTENERS values. */
    @SuppressWarnings("unchecked")
    private static Set<String> containerPorts(String service) {
        Set<String> ports = new LinkedHashSet<>();
        Map<String, Object> definition = compose.get(service);
        for (Object mapping : (List<Object>) definition.getOrDefault("ports", List.of())) {
            String text = String.valueOf(mapping);
            ports.add(text.substring(text.lastIndexOf(':') + 1));
        }
        for (Object exposed : (List<Object>) definition.getOrDefault("expose", List.of())) {
            ports.add(String.valueOf(exposed));
        }
        environment(service).forEach((variable, value) -> {
            if (variable.endsWith("_LISTENERS")) {
                Matcher m = Pattern.compile(":(\\d+)").matcher(value);
                while (m.find()) {
                    ports.add(m.group(1));
                }
            }
        });
        return ports;
    }
}
