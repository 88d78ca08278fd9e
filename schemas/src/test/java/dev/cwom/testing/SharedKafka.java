package dev.cwom.testing;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.server.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka broker (KRaft, combined broker and controller, in this JVM) per test JVM, started on first use and
 * stopped when the JVM exits. Tests keep apart by using topics or consumer groups of their own.
 *
 * <p>It is Kafka's own test kit, as spring-kafka-test's {@code EmbeddedKafkaKraftBroker} uses, but with its listener
 * sockets bound to 127.0.0.1: the kit binds them to every interface, which the project does not allow.
 */
public final class SharedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(SharedKafka.class);
    private static volatile KafkaClusterTestKit cluster;

    private SharedKafka() {
    }

    /** The running cluster (one node), started on first call. */
    public static synchronized KafkaClusterTestKit cluster() {
        if (cluster == null) {
            cluster = start();
        }
        return cluster;
    }

    /** The broker's bootstrap servers, starting it if needed. */
    public static String bootstrapServers() {
        return cluster().bootstrapServers();
    }

    private static KafkaClusterTestKit start() {
        // A broker that fails must fail the test, not exit the JVM
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("The embedded Kafka broker tried to exit(" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("The embedded Kafka broker tried to halt(" + status + "): " + message);
        });
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            // Share groups (KIP-932) are on in 4.3; the minimum lock lets tests renew and expire locks in seconds.
            Map.of("num.partitions", "12",
                    "group.share.min.record.lock.duration.ms", "1000",
                    "offsets.topic.replication.factor", "1",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "share.coordinator.state.topic.replication.factor", "1",
                    "share.coordinator.state.topic.min.isr", "1",
                    "group.initial.rebalance.delay.ms", "0",
                    "delete.topic.enable", "true").forEach(builder::setConfigProp);
            bindToLoopback(builder, nodes);
            KafkaClusterTestKit started = builder.build();
            started.format();
            started.startup();
            started.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // the JVM is exiting; its temp folders go with the test kit's own clean-up
                }
            }, "shared-kafka-stop"));
            System.setProperty("spring.embedded.kafka.brokers", started.bootstrapServers());
            return started;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded Kafka broker for tests", e);
        }
    }

    /**
     * Hands the test kit listener sockets already bound to 127.0.0.1 (it would bind every interface itself). Its
     * socket manager has no public way to take them, hence the reflection; when a Kafka upgrade renames those
     * fields the broker still starts, bound as the kit does it, with a warning.
     */
    @SuppressWarnings("unchecked")
    private static void bindToLoopback(KafkaClusterTestKit.Builder builder, TestKitNodes nodes) {
        try {
            Field managerField = KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
            managerField.setAccessible(true);
            PreboundSocketFactoryManager manager = (PreboundSocketFactoryManager) managerField.get(builder);
            Field socketsField = PreboundSocketFactoryManager.class.getDeclaredField("sockets");
            socketsField.setAccessible(true);
            Map<Integer, Map<String, ServerSocketChannel>> sockets =
                    (Map<Integer, Map<String, ServerSocketChannel>>) socketsField.get(manager);
            for (int id : nodes.brokerNodes().keySet()) {
                bind(sockets, id, nodes.brokerListenerName().value());
            }
            for (int id : nodes.controllerNodes().keySet()) {
                bind(sockets, id, nodes.controllerListenerName().value());
            }
        } catch (ReflectiveOperationException | RuntimeException | java.io.IOException e) {
            LOG.warn("Could not bind the embedded Kafka broker to 127.0.0.1 only ({}); it listens on all interfaces",
                    e.toString());
        }
    }

    private static void bind(Map<Integer, Map<String, ServerSocketChannel>> sockets, int nodeId, String listener)
            throws java.io.IOException {
        ServerSocketChannel channel = ServerSocketFactory.INSTANCE.openServerSocket(listener,
                new InetSocketAddress("127.0.0.1", 0), -1, -1);
        sockets.computeIfAbsent(nodeId, k -> new HashMap<>()).put(listener, channel);
    }
}
