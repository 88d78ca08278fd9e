package dev.cwom.localstack.benchmark;

import dev.cwom.events.Topics;
import dev.cwom.localstack.DemoIssues;
import dev.cwom.localstack.StackClient;
import dev.cwom.model.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's Issues: ready {@code noop} research Issues, each with a ContextPacket and a run-scoped
 * ConstraintSnapshot like the demo's, serialized before the clock starts so the measured time is the pipeline's,
 * and sent to {@code cwom.issues.submitted.v1} by one producer, paced or as fast as it takes them.
 */
final class IssueLoad {

    /** One IssueSubmitted, keyed and in the wire format already. */
    record Submission(String issueId, byte[] value) {
    }

    private final KafkaProducer<String, byte[]> producer;

    IssueLoad(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** {@code count} new Issues of one Repo named after {@code label} (the phase), serialized through the client. */
    static List<Submission> build(StackClient client, String label, int count) {
        String run = Ids.newUlid().substring(18).toLowerCase();
        String repo = DemoIssues.repo("benchmark/" + label + "-" + run);
        List<Submission> submissions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = Ids.newUlid();
            submissions.add(new Submission(id, client.serialize(DemoIssues.event()
                    .setProducer("local-stack-benchmark")
                    .setRepoJson(repo)
                    .setIssueJson(DemoIssues.issue(id, "Benchmark " + label + " issue " + i, "research", "noop"))
                    .setContextPacketsJson(List.of(DemoIssues.packet("Benchmark packet " + i, null)))
                    .setConstraintSnapshotJson(DemoIssues.constraints(5))
                    .build())));
        }
        return submissions;
    }

    /**
     * Sends every submission, each when {@code pacer} says, telling {@code sent} the issue id and the
     * {@link System#nanoTime()} just before its send; waits for every ack.
     *
     * @throws IllegalStateException when the broker refused a record
     */
    void send(List<Submission> submissions, Pacer pacer, ObjLongConsumer<String> sent) {
        AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
        for (int i = 0; i < submissions.size(); i++) {
            pacer.awaitTurn(i);
            Submission submission = submissions.get(i);
            sent.accept(submission.issueId(), System.nanoTime());
            producer.send(new ProducerRecord<>(Topics.ISSUES_SUBMITTED, submission.issueId(), submission.value()),
                    (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
        }
        producer.flush();
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("The broker refused an IssueSubmitted: " + error.getMessage(), error);
        }
    }
}
