package dev.cwom.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * One Kafka cluster of {@code n} KRaft nodes on loopback, each a {@link KafkaBroker} in its own folder with broker and
 * controller combined, all of them voters of the controller quorum. With three nodes every partition has three
 * replicas and a write needs two in sync: one node may be killed and the cluster keeps its data and takes writes.
 *
 * <p>Combined nodes rather than three brokers and a separate controller: a single controller would be the one process
 * whose loss stops the cluster (no leader changes, no new topics, no fencing of the dead broker), which is exactly what
 * the cluster is there to survive. Three combined voters survive the loss of any one node, with three JVMs instead
 * of four on a small machine.
 *
 * <p>For tests and fault drills, nodes are addressed by index, 0 to {@link #size()} - 1: {@link #kill(int)},
 * {@link #stop(int, Duration)}, {@link #restart(int, Duration)}, then {@link #awaitFullyReplicated(Duration)} to know
 * a restarted node has caught up.
 */
public final class KafkaCluster implements AutoCloseable {

    private final List<KafkaBroker> nodes;

    private KafkaCluster(List<KafkaBroker> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * A cluster of {@code homes.size()} nodes; node {@code i} lives in {@code homes.get(i)} and listens on
     * {@code ports.get(i)} (clients) and {@code controllerPorts.get(i)} (the quorum).
     *
     * @param jvmOptions the JVM options of node {@code i}'s JVM, e.g. its flight recording
     */
    public static KafkaCluster of(List<Path> homes, List<Integer> ports, List<Integer> controllerPorts,
            Function<Integer, List<String>> jvmOptions) {
        int size = homes.size();
        if (ports.size() != size || controllerPorts.size() != size) {
            throw new IllegalArgumentException("A cluster of " + size + " nodes needs " + size + " client ports and "
                    + size + " controller ports; got " + ports + " and " + controllerPorts);
        }
        if (size == 1) {
            return new KafkaCluster(List.of(new KafkaBroker(homes.getFirst(), ports.getFirst(),
                    controllerPorts.getFirst(), KafkaBroker.Membership.alone(controllerPorts.getFirst()),
                    jvmOptions.apply(0))));
        }
        String voters = IntStream.range(0, size).mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        // Every node is formatted with the same cluster id: a node formatted earlier keeps the cluster's, so a node
        // whose storage was lost (deleted, a new disk) joins the cluster again instead of making its own.
        List<KafkaBroker> probes = IntStream.range(0, size)
                .mapToObj(i -> new KafkaBroker(homes.get(i), ports.get(i), controllerPorts.get(i))).toList();
        String clusterId = probes.stream().map(KafkaBroker::formattedClusterId).filter(Objects::nonNull).findFirst()
                .orElseGet(() -> Uuid.randomUuid().toString());
        int replicationFactor = Math.min(3, size);
        List<KafkaBroker> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(new KafkaBroker(homes.get(i), ports.get(i), controllerPorts.get(i),
                    new KafkaBroker.Membership(i + 1, clusterId, voters, replicationFactor), jvmOptions.apply(i)));
        }
        return new KafkaCluster(nodes);
    }

    /**
     * Starts every node together (none answers before a quorum of controllers is up) and waits until each answers
     * and the cluster lists them all.
     */
    public void start(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try {
            nodes.forEach(node -> node.launch(timeout));
            nodes.forEach(node -> node.awaitReady(deadline));
            awaitBrokers(nodes.size(), deadline);
        } catch (RuntimeException e) {
            nodes.forEach(node -> node.stop(Duration.ofSeconds(10)));
            throw e;
        }
    }

    /** Every node's client address, comma-separated, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** How many nodes the cluster has. */
    public int size() {
        return nodes.size();
    }

    /** Node {@code index} (0-based; its {@code node.id} is {@code index + 1}). */
    public KafkaBroker node(int index) {
        return nodes.get(index);
    }

    /** The nodes, in index order. */
    public List<KafkaBroker> nodes() {
        return nodes;
    }

    /** SIGKILL of node {@code index}; the others elect new leaders for its partitions. */
    public void kill(int index) {
        nodes.get(index).kill();
    }

    /** A controlled shutdown of node {@code index} (SIGTERM, then a kill after {@code grace}). */
    public void stop(int index, Duration grace) {
        nodes.get(index).stop(grace);
    }

    /**
     * Starts node {@code index} again on its data (after {@link #kill(int)} or {@link #stop(int, Duration)}) and waits
     * until the cluster lists it again; its replicas then catch up in the background
     * ({@link #awaitFullyReplicated(Duration)}).
     */
    public void restart(int index, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        KafkaBroker node = nodes.get(index);
        node.start(timeout);
        awaitBrokers(nodes.size(), deadline);
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync: after a node came back, when it has
     * caught up with what was written while it was away.
     */
    public void awaitFullyReplicated(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<String> lagging = List.of();
        try (Admin admin = admin()) {
            while (Instant.now().isBefore(deadline)) {
                try {
                    Set<String> topics = await(admin.listTopics().names(), 5);
                    Map<String, TopicDescription> descriptions = await(admin.describeTopics(topics).allTopicNames(),
                            10);
                    lagging = descriptions.values().stream().flatMap(topic -> topic.partitions().stream()
                            .filter(partition -> partition.isr().size() < partition.replicas().size())
                            .map(partition -> topic.name() + "-" + partition.partition() + " (in sync "
                                    + ids(partition.isr()) + " of " + ids(partition.replicas()) + ")"))
                            .toList();
                    if (lagging.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notNow) {
                    lagging = List.of(notNow.toString());
                }
                pause();
            }
        }
        throw new IllegalStateException("Not every replica was in sync within " + timeout.toSeconds() + "s: "
                + lagging.stream().limit(10).collect(Collectors.joining(", ")));
    }

    /**
     * Stops every node at once (SIGTERM, then a kill after {@code grace}). Not one after another: the last node would
     * have no quorum left to accept its controlled shutdown and would wait out its grace, then be killed; together,
     * each node's broker shuts down while the controllers are still there.
     */
    public void stop(Duration grace) {
        nodes.stream().map(node -> CompletableFuture.runAsync(() -> node.stop(grace))).toList()
                .forEach(CompletableFuture::join);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private void awaitBrokers(int expected, Instant deadline) {
        try (Admin admin = admin()) {
            int seen = 0;
            while (Instant.now().isBefore(deadline)) {
                try {
                    seen = await(admin.describeCluster().nodes(), 5).size();
                    if (seen >= expected) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    // a node may still be electing or registering
                }
                pause();
            }
            throw new IllegalStateException("The Kafka cluster at " + bootstrapServers() + " listed " + seen + " of "
                    + expected + " brokers in time; see each node's broker.log under "
                    + nodes.getFirst().home().getParent());
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(Node::idString).collect(Collectors.joining(",", "[", "]"));
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, int seconds)
            throws ExecutionException, TimeoutException {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka cluster", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka cluster", e);
        }
    }
}
