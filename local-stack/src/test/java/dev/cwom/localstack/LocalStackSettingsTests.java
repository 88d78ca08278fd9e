package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LocalStackSettingsTests {

    @Test
    void defaultsKeepEverythingUnderDotLocalStackOfTheProjectRoot() {
        LocalStackSettings settings = LocalStackSettings.parse(new String[] {"--project-root=/srv/cwom"},
                new Properties());

        assertThat(settings.dataDir()).isEqualTo(Path.of("/srv/cwom/.local-stack"));
        assertThat(settings.kafkaDir()).isEqualTo(Path.of("/srv/cwom/.local-stack/kafka"));
        assertThat(settings.postgresDir()).isEqualTo(Path.of("/srv/cwom/.local-stack/postgres"));
        assertThat(settings.logsDir()).isEqualTo(Path.of("/srv/cwom/.local-stack/logs"));
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.workerPorts()).containsExactly(8082, 8084);
        assertThat(settings.jdbcUrl()).isNull();
        assertThat(settings.exitAfterDemo()).isFalse();
        // the demo and the tests start services on C1 only, for a quick start-up, and record nothing
        assertThat(settings.serviceJvmOptions()).containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(settings.flightRecordingOptions("ingest-service")).isEmpty();
    }

    @Test
    void flagsOutrankSystemPropertiesWhichOutrankDefaults() {
        Properties system = new Properties();
        system.setProperty("cwom.localstack.kafka-port", "19092");
        system.setProperty("cwom.localstack.ingest-port", "18081");

        LocalStackSettings settings = LocalStackSettings.parse(new String[] {
                "--ingest-port", "28081", "--worker-ports=9001, 9002,9003", "--startup-timeout=PT2M",
                "--jdbc-url=jdbc:postgresql://db:5432/cwom", "--data-dir=/var/tmp/stack", "--exit-after-demo"}, system);

        assertThat(settings.kafkaPort()).isEqualTo(19092);
        assertThat(settings.ingestPort()).isEqualTo(28081);
        assertThat(settings.workerPorts()).isEqualTo(List.of(9001, 9002, 9003));
        assertThat(settings.startupTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/cwom");
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/tmp/stack"));
        assertThat(settings.exitAfterDemo()).isTrue();
    }

    @Test
    void badValuesAndUnknownFlagsAreNamedWithTheFix() {
        assertThatThrownBy(() -> LocalStackSettings.parse(new String[] {"--kafka-port=ninety"}, new Properties()))
                .hasMessageContaining("--kafka-port=ninety is not a port")
                .hasMessageContaining("--kafka-port=9092");
        assertThatThrownBy(() -> LocalStackSettings.parse(new String[] {"--kafka-prot=1"}, new Properties()))
                .hasMessageContaining("Unknown option --kafka-prot")
                .hasMessageContaining("--kafka-port");
        assertThatThrownBy(() -> LocalStackSettings.parse(new String[] {"demo"}, new Properties()))
                .hasMessageContaining("Unexpected argument 'demo': options look like --name=value");
        assertThatThrownBy(() -> LocalStackSettings.parse(new String[] {"--ingest-port"}, new Properties()))
                .hasMessageContaining("--ingest-port").hasMessageContaining("Known options:");
    }

    @Test
    void aSwitchStandsAloneOrTakesAValueAndAValueMayLookLikeAnOption() {
        LocalStackSettings settings = LocalStackSettings.parse(new String[] {"--jfr", "--log-spans=false",
                "--service-jvm-options", "-XX:+UseSerialGC -Xss512k", "--kafka-port=1", "--kafka-port=2"},
                new Properties());

        assertThat(settings.flightRecordings()).isTrue();
        assertThat(settings.logSpans()).isFalse();
        assertThat(settings.serviceJvmOptions()).containsExactly("-XX:+UseSerialGC", "-Xss512k");
        assertThat(settings.kafkaPort()).as("the last one wins").isEqualTo(2);
    }

    @Test
    void threeBrokersGetAFolderEachAndTheirPortsFromOnePortOrOnePerNode() {
        LocalStackSettings derived = LocalStackSettings.parse(new String[] {"--project-root=/srv/cwom", "--brokers=3"},
                new Properties());
        assertThat(derived.brokers()).isEqualTo(3);
        assertThat(derived.kafkaPorts()).containsExactly(9092, 9094, 9096);
        assertThat(derived.kafkaControllerPorts()).containsExactly(9093, 9095, 9097);
        assertThat(derived.kafkaDirs()).containsExactly(Path.of("/srv/cwom/.local-stack/kafka-1"),
                Path.of("/srv/cwom/.local-stack/kafka-2"), Path.of("/srv/cwom/.local-stack/kafka-3"));

        LocalStackSettings listed = LocalStackSettings.parse(new String[] {"--brokers", "3",
                "--kafka-port=7001, 7002,7003", "--kafka-controller-port=8001,8002,8003"}, new Properties());
        assertThat(listed.kafkaPorts()).containsExactly(7001, 7002, 7003);
        assertThat(listed.kafkaControllerPorts()).containsExactly(8001, 8002, 8003);
        assertThat(listed.kafkaPort()).isEqualTo(7001);

        assertThat(LocalStackSettings.defaults().brokers()).isEqualTo(1);
        assertThat(LocalStackSettings.defaults().kafkaPorts()).containsExactly(9092);
    }

    @Test
    void anUnsupportedBrokerCountOrAPortListOfTheWrongLengthIsNamedWithTheFix() {
        assertThatThrownBy(() -> LocalStackSettings.parse(new String[] {"--brokers=2"}, new Properties()))
                .hasMessageContaining("--brokers=2 is not supported").hasMessageContaining("--brokers=3");
        assertThatThrownBy(() -> LocalStackSettings.parse(new String[] {"--brokers=3", "--kafka-port=7001,7002"},
                new Properties())).hasMessageContaining("--kafka-port=7001,7002 names 2 ports for 3 Kafka node(s)");
    }

    @Test
    void everyPortOfEveryKafkaNodeIsCheckedBeforeAnythingStarts() {
        int taken = FreePorts.next();
        LocalStackSettings clash = LocalStackSettings.parse(new String[] {"--brokers=3",
                "--kafka-port=" + FreePorts.next() + "," + taken + "," + FreePorts.next(),
                "--kafka-controller-port=" + FreePorts.next() + "," + FreePorts.next() + "," + taken}, new Properties());
        assertThatThrownBy(() -> LocalStack.checkPorts(clash)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kafka broker #2 and Kafka controller #3 were both given port " + taken);
    }

    @Test
    void withCiTrueTheStackStopsAfterTheDemoUnlessTheFlagSaysOtherwise() {
        Properties none = new Properties();
        Properties keepRunning = new Properties();
        keepRunning.setProperty("cwom.localstack.exit-after-demo", "false");

        assertThat(parse(LocalStack.withCiDefaults(none, "true")).exitAfterDemo()).isTrue();
        assertThat(parse(LocalStack.withCiDefaults(none, null)).exitAfterDemo()).isFalse();
        assertThat(parse(LocalStack.withCiDefaults(none, "false")).exitAfterDemo()).isFalse();
        assertThat(parse(LocalStack.withCiDefaults(keepRunning, "true")).exitAfterDemo()).isFalse();
        assertThat(LocalStackSettings.parse(new String[] {"--exit-after-demo=false"},
                LocalStack.withCiDefaults(none, "true")).exitAfterDemo()).isFalse();
    }

    private static LocalStackSettings parse(Properties system) {
        return LocalStackSettings.parse(new String[0], system);
    }
}
