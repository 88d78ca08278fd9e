package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.Topics;
import dev.cwom.localstack.StackDatabase.ArtifactRow;
import dev.cwom.localstack.StackDatabase.RunRow;
import dev.cwom.model.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stack on a cluster of three Kafka nodes ({@code --brokers=3}): every topic, the pipeline's and Kafka's own, has
 * three replicas and needs two in sync; the node that leads the controller quorum is killed with SIGKILL while Issues
 * flow (the worst node to lose: metadata, partition leadership and coordinators all move), more Issues arrive while it
 * is down, and every Issue still ends done exactly once with one trace per run. The node then starts again on its data
 * and catches up with everything written without it.
 */
class ClusterEndToEndTests {

    private static final int ISSUES_BEFORE = 30;
    private static final int ISSUES_WHILE_DOWN = 30;
    private static final int ISSUES_AFTER = 10;
    private static final List<String> PIPELINE_TOPICS = List.of(Topics.ISSUES_SUBMITTED, Topics.ISSUES_READY,
            Topics.RUNS, Topics.ARTIFACTS, Topics.ISSUES_CANCELED, Topics.SINK_REJECTED);

    private static LocalStack stack;
    private static Path dataDir;

    @BeforeAll
    static void startAStackOnThreeBrokers() throws IOException {
        dataDir = Files.createTempDirectory("cwom-cluster-stack-");
        // The workers' shell sandboxes run as another uid when the tests run as root (see SharedStack).
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        stack = new LocalStack(LocalStackSettings.parse(new String[] {
                "--brokers=3", "--data-dir=" + dataDir, "--startup-timeout=PT300S",
                "--kafka-port=" + ports(3), "--kafka-controller-port=" + ports(3),
                "--postgres-port=" + FreePorts.next(), "--registry-port=" + FreePorts.next(),
                "--ingest-port=" + FreePorts.next(), "--artifact-port=" + FreePorts.next(),
                "--worker-ports=" + ports(2)}, new Properties()));
        try {
            stack.start();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete " + dataDir + ": " + e.getMessage());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyTopicHasThreeReplicasOfWhichTwoMustBeInSync() throws Exception {
        assertThat(stack.bootstrapServers().split(",")).hasSize(3);
        try (Admin admin = admin()) {
            List<String> topics = Stream.concat(PIPELINE_TOPICS.stream(),
                    Stream.of("__consumer_offsets", "__transaction_state", "_schemas")).toList();
            // the transaction state topic is made when the first transactional producer (a worker) starts
            await("Kafka's internal topics").atMost(Duration.ofMinutes(1)).until(() -> admin.listTopics(
                    new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true)).names()
                    .get(10, TimeUnit.SECONDS).containsAll(topics));
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            described.forEach((name, topic) -> assertThat(topic.partitions()).as(name)
                    .allSatisfy(partition -> assertThat(partition.replicas()).as(name).hasSize(3)));
            Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList())
                    .all().get(30, TimeUnit.SECONDS);
            configs.forEach((resource, config) -> assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
                    .value()).as("min.insync.replicas of %s", resource.name()).isEqualTo("2"));
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void killingTheQuorumLeaderMidFlowLosesAndDuplicatesNothingAndItRejoinsOnItsData() throws Exception {
        String suffix = Ids.newUlid().substring(18).toLowerCase();
        String repo = DemoIssues.repo("cluster/kafka-" + suffix);
        Set<String> issueIds = ConcurrentHashMap.newKeySet();
        KafkaCluster kafka = stack.kafka();

        try (StackClient client = StackClient.of(stack); StackDatabase db = StackDatabase.of(stack)) {
            submit(client, repo, "before", ISSUES_BEFORE, issueIds);
            await("Issues flowing").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> db.statusCounts(issueIds).getOrDefault("done", 0) > 0);

            int leader = quorumLeaderIndex();
            long killedPid = kafka.node(leader).pid();
            kafka.kill(leader);
            assertThat(kafka.node(leader).isRunning()).isFalse();

            submit(client, repo, "while node " + (leader + 1) + " was down", ISSUES_WHILE_DOWN, issueIds);
            await("every Issue done on two nodes").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(db.statusCounts(issueIds))
                            .containsExactlyEntriesOf(Map.of("done", issueIds.size())));

            kafka.restart(leader, Duration.ofMinutes(3));
            assertThat(kafka.node(leader).pid()).isNotEqualTo(killedPid);
            submit(client, repo, "after node " + (leader + 1) + " came back", ISSUES_AFTER, issueIds);
            kafka.awaitFullyReplicated(Duration.ofMinutes(3));
            await("every Issue done after the restart").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(db.statusCounts(issueIds))
                            .containsExactlyEntriesOf(Map.of("done", issueIds.size())));
            List<RunRow> runs = db.runs(issueIds);
            List<String> doneRuns = runs.stream().filter(run -> "done".equals(run.status())).map(RunRow::id).toList();
            await("the trace of every finished run").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(db.traces(issueIds).keySet()).containsAll(doneRuns));

            Map<String, List<RunRow>> runsByIssue = runs.stream().collect(Collectors.groupingBy(RunRow::issueId));
            assertThat(runsByIssue.keySet()).containsExactlyInAnyOrderElementsOf(issueIds);
            runsByIssue.forEach((issue, itsRuns) -> assertThat(itsRuns).as("runs of Issue %s", issue)
                    .filteredOn(run -> "done".equals(run.status())).hasSize(1));
            List<ArtifactRow> artifacts = db.artifacts(issueIds);
            assertThat(artifacts).extracting(ArtifactRow::id).doesNotHaveDuplicates();
            assertThat(artifacts).as("an artifact stored twice (same run, same blob)")
                    .extracting(a -> a.runId() + " " + a.uri()).doesNotHaveDuplicates();
            assertThat(artifacts).filteredOn(a -> "trace".equals(a.type()) && doneRuns.contains(a.runId())).extracting(ArtifactRow::runId)
                    .as("one trace per finished run").containsExactlyInAnyOrderElementsOf(doneRuns);
            PipelineEndToEndTests.verifyTraceBlobs(client, db.traces(issueIds));
        } finally {
            for (int i = 0; i < kafka.size(); i++) {
                if (!kafka.node(i).isRunning()) {
                    kafka.restart(i, Duration.ofMinutes(3));
                }
            }
        }
    }

    private static void submit(StackClient client, String repo, String when, int count, Set<String> issueIds) {
        for (int i = 0; i < count; i++) {
            String id = Ids.newUlid();
            client.submitAsync(id, DemoIssues.event()
                    .setRepoJson(repo)
                    .setIssueJson(DemoIssues.issue(id, "Issue " + i + " sent " + when, "research", null))
                    .setContextPacketsJson(List.of(DemoIssues.packet("Packet of issue " + i, null)))
                    .setConstraintSnapshotJson(DemoIssues.constraints(5))
                    .build());
            issueIds.add(id);
        }
        client.flush();
    }

    /** The index of the node that leads the KRaft quorum: the active controller. */
    private static int quorumLeaderIndex() throws Exception {
        try (Admin admin = admin()) {
            int leaderId = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
            return IntStream.range(0, stack.kafka().size()).filter(i -> stack.kafka().node(i).nodeId() == leaderId)
                    .findFirst().orElseThrow();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    private static String ports(int count) {
        return IntStream.range(0, count).mapToObj(i -> Integer.toString(FreePorts.next()))
                .collect(Collectors.joining(","));
    }
}
