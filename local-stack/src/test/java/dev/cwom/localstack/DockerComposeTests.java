package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * names is a service of the file listening there, start order waits on health checks.
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
        assertThat(compose).containsKeys("kafka", "postgres", "schema-registry",
                "ingest-service", "worker-service", "artifact-service");
        assertThat((String) compose.get("kafka").get("image")).startsWith("apache/kafka:");
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
            ServiceConfiguration config = ServiceConfiguration.read(
                    root.resolve(service.getValue()[0]).resolve("src/main/resources/application.yml"),
                    ServiceJars.of(service.getValue()[1]), scratch);
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
    void theServicesUseTheDatabaseAndCredentialsPostgresIsCreatedWith() {
        Map<String, String> postgres = environment("postgres");
        for (String name : List.of("ingest-service", "artifact-service")) {
            Map<String, String> env = environment(name);
            assertThat(env.get("CWOM_DB_URL")).as(name).endsWith("/" + postgres.get("POSTGRES_DB"));
            assertThat(env.get("CWOM_DB_USER")).as(name).isEqualTo(postgres.get("POSTGRES_USER"));
            assertThat(env.get("CWOM_DB_PASSWORD")).as(name).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        }
    }

    @Test
    void everyKafkaVariableIsABrokerSetting() {
        Set<String> known = KafkaConfig.configDef().names();
        List<String> unknown = new ArrayList<>();
        environment("kafka").keySet().stream()
                .filter(variable -> variable.startsWith("KAFKA_"))
                .forEach(variable -> {
                    // The Apache image's rule: KAFKA_ dropped, ___ -> '-', __ -> '_', _ -> '.'.
                    String setting = variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT)
                            .replace("___", "-").replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
                    if (!known.contains(setting)) {
                        unknown.add(variable + " (" + setting + ")");
                    }
                });
        assertThat(unknown).as("KAFKA_* variables that are no broker setting").isEmpty();
        assertThat(environment("kafka").get("CLUSTER_ID")).as("a base64 UUID, as kafka-storage random-uuid prints")
                .matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasAHealthCheckAndWaitsForItsDependenciesToBeHealthy() {
        SoftAssertions softly = new SoftAssertions();
        compose.forEach((name, service) -> {
            softly.assertThat(service).as("%s has a healthcheck", name).containsKey("healthcheck");
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            softly.assertThat(dependsOn).as("%s: depends_on with conditions", name).isInstanceOf(Map.class);
            ((Map<String, Map<String, Object>>) dependsOn).forEach((dependency, condition) -> {
                softly.assertThat(compose).as("%s depends on %s", name, dependency).containsKey(dependency);
                softly.assertThat(condition).as("%s -> %s", name, dependency)
                        .containsEntry("condition", "service_healthy");
            });
        });
        softly.assertAll();
        assertThat((Map<String, Object>) compose.get("artifact-service").get("depends_on"))
                .as("artifact-service's tables come from ingest-service's migrations").containsKey("ingest-service");
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
