package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server.properties each node of a {@link KafkaCluster} is started with, checked without starting it: what Kafka
 * itself accepts ({@link KafkaConfig}), and the cluster's shape (ids, quorum, replication).
 */
class KafkaClusterConfigurationTests {

    @TempDir
    Path dir;

    @Test
    void threeNodesAreEachABrokerAndAVoterOfOneQuorumWithThreeReplicasOfWhichTwoMustBeInSync() throws Exception {
        KafkaCluster cluster = cluster(List.of(19092, 19094, 19096), List.of(19093, 19095, 19097));

        assertThat(cluster.size()).isEqualTo(3);
        assertThat(cluster.bootstrapServers()).isEqualTo("127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096");
        List<Properties> nodes = cluster.nodes().stream().map(KafkaClusterConfigurationTests::properties).toList();
        assertThat(nodes).extracting(p -> p.getProperty("node.id")).containsExactly("1", "2", "3");
        assertThat(nodes).extracting(p -> p.getProperty("controller.quorum.voters")).containsOnly(
                "1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097");
        assertThat(nodes).extracting(p -> p.getProperty("log.dirs")).doesNotHaveDuplicates();
        for (int i = 0; i < 3; i++) {
            Properties node = nodes.get(i);
            assertThat(node.getProperty("process.roles")).isEqualTo("broker,controller");
            assertThat(node.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:" + (19092 + 2 * i)
                    + ",CONTROLLER://127.0.0.1:" + (19093 + 2 * i));
            assertThat(node.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:" + (19092 + 2 * i));
            assertThat(node).containsEntry("default.replication.factor", "3")
                    .containsEntry("min.insync.replicas", "2")
                    .containsEntry("offsets.topic.replication.factor", "3")
                    .containsEntry("transaction.state.log.replication.factor", "3")
                    .containsEntry("transaction.state.log.min.isr", "2")
                    .containsEntry("share.coordinator.state.topic.replication.factor", "3")
                    .containsEntry("share.coordinator.state.topic.min.isr", "2");
            KafkaConfig accepted = KafkaConfig.fromProps(node, false);
            assertThat(accepted.nodeId()).isEqualTo(i + 1);
            assertThat(accepted.quorumConfig().voters()).hasSize(3);
        }
        assertThat(cluster.nodes()).extracting(node -> node.membership().clusterId()).doesNotContainNull()
                .as("one cluster id for every node").hasSize(3).containsOnly(cluster.node(0).membership().clusterId());
    }

    @Test
    void aNodeFormattedEarlierGivesTheClusterItsId() throws Exception {
        Path first = Files.createDirectories(dir.resolve("kafka-1/data"));
        Files.writeString(first.resolve("meta.properties"), "version=1\ncluster.id=Ab-cDeFgHiJkLmNoPqRsTu\nnode.id=1\n");

        KafkaCluster cluster = cluster(List.of(1, 3, 5), List.of(2, 4, 6));

        assertThat(cluster.nodes()).extracting(node -> node.membership().clusterId())
                .containsOnly("Ab-cDeFgHiJkLmNoPqRsTu");
    }

    @Test
    void oneNodeIsAClusterOfOneWithOneReplicaOfEverything() {
        KafkaCluster cluster = cluster(List.of(9092), List.of(9093));

        Properties node = properties(cluster.node(0));
        assertThat(node).containsEntry("node.id", "1").containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("default.replication.factor", "1").containsEntry("min.insync.replicas", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1");
        assertThat(KafkaConfig.fromProps(node, false).nodeId()).isEqualTo(1);
        assertThat(cluster.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void aPortListThatDoesNotMatchTheNodesIsRefused() {
        assertThatThrownBy(() -> KafkaCluster.of(homes(3), List.of(1, 2), List.of(3, 4, 5), i -> List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 client ports");
    }

    private KafkaCluster cluster(List<Integer> ports, List<Integer> controllerPorts) {
        return KafkaCluster.of(homes(ports.size()), ports, controllerPorts, i -> List.of());
    }

    private List<Path> homes(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> dir.resolve("kafka-" + i)).toList();
    }

    private static Properties properties(KafkaBroker node) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(node.serverPropertiesText()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return properties;
    }
}
