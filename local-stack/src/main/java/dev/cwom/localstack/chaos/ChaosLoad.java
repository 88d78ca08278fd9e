package dev.cwom.localstack.chaos;

import dev.cwom.events.Topics;
import dev.cwom.localstack.DemoIssues;
import dev.cwom.localstack.StackClient;
import dev.cwom.localstack.benchmark.Pacer;
import dev.cwom.model.Ids;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * The chaos run's Issues and their sending. Each Issue has a client ULID and is sent until the stack took it, so that
 * what is sent is exactly what must come out: a Kafka submission the broker refused (it was down) is sent again with
 * the same bytes, a REST create that failed (ingest was down, or the database) is posted again with the same id,
 * which the API answers idempotently (docs/api.md, "Creating: ids and idempotency"). Kafka Issues are noop research
 * Issues or, for {@code shell-fraction} of them, chores that run {@code echo} in the worker's sandbox; REST Issues
 * are noop doc Issues.
 */
final class ChaosLoad implements AutoCloseable {

    enum Via { KAFKA, REST }

    /** One Issue: over Kafka its IssueSubmitted in the wire format, over REST its JSON. */
    record Planned(String issueId, Via via, boolean shell, byte @Nullable [] kafkaValue, @Nullable String restJson) {
    }

    private static final Duration REST_RETRY = Duration.ofMillis(500);

    private final List<Planned> issues;
    /** The first this many are sent during the faults, the rest after them (the probe). */
    private final int duringFaults;
    private final StackClient client;
    private final String token;
    private final KafkaProducer<String, byte[]> producer;
    private final Queue<Planned> refusedByBroker = new ConcurrentLinkedQueue<>();
    private final AtomicInteger restRetries = new AtomicInteger();
    private final AtomicInteger kafkaResends = new AtomicInteger();
    private final AtomicInteger dispatched = new AtomicInteger();
    private final Queue<String> restFailures = new ConcurrentLinkedQueue<>();

    private ChaosLoad(List<Planned> issues, int duringFaults, StackClient client, String token) {
        this.issues = issues;
        this.duringFaults = duringFaults;
        this.client = client;
        this.token = token;
        Map<String, Object> config = new java.util.HashMap<>(StackClient.producerConfig(client.bootstrapServers()));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "chaos-producer");
        producer = new KafkaProducer<>(config);
    }

    /** Draws and serializes every Issue up front (the registry and ingest are up now; later they may not be). */
    static ChaosLoad build(StackClient client, String token, ChaosSettings settings) {
        Random random = new Random(settings.seed() ^ 0x5DEECE66DL);
        String run = Ids.newUlid().substring(18).toLowerCase();
        String repo = DemoIssues.repo("chaos/kafka-" + run, "echo");
        String restRepo = DemoIssues.restRepoId(client, "chaos/rest-" + run);
        int all = settings.issues() + settings.probeIssues();
        List<Planned> issues = new ArrayList<>(all);
        for (int i = 0; i < all; i++) {
            String id = Ids.newUlid();
            if (random.nextDouble() < settings.restFraction()) {
                issues.add(new Planned(id, Via.REST, false, null,
                        DemoIssues.restIssue(id, restRepo, "Chaos REST issue " + i)));
                continue;
            }
            boolean shell = random.nextDouble() < settings.shellFraction();
            String title = "Chaos issue " + i;
            byte[] value = client.serialize(DemoIssues.event()
                    .setProducer("local-stack-chaos")
                    .setRepoJson(repo)
                    .setIssueJson(DemoIssues.issue(id, title, shell ? "chore" : "research", shell ? "shell" : "noop"))
                    .setContextPacketsJson(List.of(DemoIssues.packet("Packet of " + title,
                            shell ? List.<Object>of("echo chaos " + i) : null)))
                    .setConstraintSnapshotJson(shell ? DemoIssues.constraints(5, "echo") : DemoIssues.constraints(5))
                    .build());
            issues.add(new Planned(id, Via.KAFKA, shell, value, null));
        }
        return new ChaosLoad(List.copyOf(issues), settings.issues(), client, token);
    }

    List<Planned> issues() {
        return issues;
    }

    List<String> issueIds() {
        return issues.stream().map(Planned::issueId).toList();
    }

    /** Issues of the probe, sent after the last fault. */
    int probe() {
        return issues.size() - duringFaults;
    }

    long count(Via via, boolean shell) {
        return issues.stream().filter(p -> p.via() == via && p.shell() == shell).count();
    }

    /**
     * Sends the Issues of the fault phase (all but the probe) at their due times ({@code pacer}), REST ones on two threads of their own so that a down
     * ingest-service does not hold the Kafka ones back; then sends again what the broker refused until it takes
     * everything, and waits for every REST create, all within {@code deadline}.
     *
     * @return the Issues that could not be handed over by the deadline (none on a healthy run)
     */
    List<String> sendDuringFaults(Pacer pacer, Instant deadline) throws InterruptedException {
        return send(issues.subList(0, duringFaults), pacer, deadline);
    }

    /** Sends the probe: the Issues after the fault phase's, after the last fault; like {@link #sendDuringFaults}. */
    List<String> sendProbe(Pacer pacer, Instant deadline) throws InterruptedException {
        return send(issues.subList(duringFaults, issues.size()), pacer, deadline);
    }

    private List<String> send(List<Planned> batch, Pacer pacer, Instant deadline) throws InterruptedException {
        ExecutorService rest = Executors.newFixedThreadPool(2,
                Thread.ofPlatform().name("chaos-rest-", 0).daemon().factory());
        for (int i = 0; i < batch.size(); i++) {
            pacer.awaitTurn(i);
            Planned issue = batch.get(i);
            dispatched.incrementAndGet();
            if (issue.via() == Via.REST) {
                rest.execute(() -> postUntilTaken(issue, deadline));
            } else {
                send(issue);
            }
        }
        producer.flush();
        while (!refusedByBroker.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(1_000);
            List<Planned> again = new ArrayList<>();
            for (Planned issue; (issue = refusedByBroker.poll()) != null; ) {
                again.add(issue);
            }
            again.forEach(this::send);
            kafkaResends.addAndGet(again.size());
            producer.flush();
        }
        rest.shutdown();
        rest.awaitTermination(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()),
                TimeUnit.MILLISECONDS);
        rest.shutdownNow();
        List<String> notTaken = new ArrayList<>();
        for (String id; (id = restFailures.poll()) != null; ) {
            notTaken.add(id);
        }
        refusedByBroker.forEach(issue -> notTaken.add(issue.issueId()));
        refusedByBroker.clear();
        return notTaken;
    }

    /** How many Issues were sent (or handed to the REST threads) so far. */
    long dispatched() {
        return dispatched.get();
    }

    /** Kafka submissions sent again after the broker refused them, and REST creates posted again. */
    String retries() {
        return kafkaResends.get() + " Kafka resends, " + restRetries.get() + " REST retries";
    }

    private void send(Planned issue) {
        producer.send(new ProducerRecord<>(Topics.ISSUES_SUBMITTED, issue.issueId(), issue.kafkaValue()),
                (metadata, error) -> {
                    if (error != null) {
                        refusedByBroker.add(issue);
                    }
                });
    }

    private void postUntilTaken(Planned issue, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            String problem;
            try {
                HttpResponse<String> answer = client.call("POST", "/cwom/issues", issue.restJson(), token);
                if (answer.statusCode() == 200 || answer.statusCode() == 201) {
                    return;
                }
                if (answer.statusCode() < 500 && answer.statusCode() != 429) {
                    // the request itself is wrong: retrying cannot help, and the Issue counts as lost
                    restFailures.add(issue.issueId());
                    System.err.println("POST /cwom/issues for " + issue.issueId() + " answered "
                            + answer.statusCode() + ": " + answer.body());
                    return;
                }
                problem = "answered " + answer.statusCode();
            } catch (UncheckedIOException e) {
                problem = e.getMessage();
            }
            restRetries.incrementAndGet();
            if (restRetries.get() % 50 == 1) {
                System.out.println("REST create of " + issue.issueId() + " failed (" + problem + "); retrying");
            }
            try {
                Thread.sleep(REST_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        restFailures.add(issue.issueId());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
