package dev.cwom.cli.submit;

import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.events.IssueSubmitted;
import dev.cwom.events.Topics;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroProducerConfig;
import dev.cwom.serde.AvroSerdeConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Submits as a producer would: one {@code IssueSubmitted} (Avro through our serde and registry) on
 * {@code cwom.issues.submitted.v1}, key = the Issue's id, with the Repo, ConstraintSnapshot and ContextPackets
 * inline; intake stores them in one transaction (docs/ingest-kafka.md). The broker's acknowledgement is all the
 * answer there is: a refusal lands on {@code cwom.issues.rejected.v1}, so {@code watch} is the way to follow it.
 */
final class KafkaSubmitter {

    /** How long an unreachable broker or registry may keep the CLI waiting. */
    private static final int TIMEOUT_MS = 30_000;

    private final String bootstrapServers;
    private final String registryUrl;
    private final @Nullable String registryToken;

    KafkaSubmitter(String bootstrapServers, String registryUrl, @Nullable String registryToken) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.registryToken = registryToken;
    }

    RecordMetadata submit(SubmissionFile file) {
        IssueSubmitted.Builder event = IssueSubmitted.newBuilder().setEventId(Ids.newUlid())
                .setOccurredAt(Instant.now()).setProducer("cwom-cli")
                .setIssueJson(CwomJson.mapper().writeValueAsString(file.issue()))
                .setContextPacketsJson(file.contextPackets().stream()
                        .map(p -> CwomJson.mapper().writeValueAsString(p)).toList());
        if (file.repo() != null) {
            event.setRepoJson(CwomJson.mapper().writeValueAsString(file.repo()));
        }
        if (file.constraintSnapshot() != null) {
            event.setConstraintSnapshotJson(CwomJson.mapper().writeValueAsString(file.constraintSnapshot()));
        }
        Map<String, Object> base = new HashMap<>();
        base.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        base.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT_MS);
        base.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS / 2);
        base.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        base.put(ProducerConfig.CLIENT_ID_CONFIG, "cwom-cli");
        base.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        if (registryToken != null) {
            base.put(AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN");
            base.put(AvroSerdeConfig.BEARER_AUTH_TOKEN, registryToken);
        }
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(
                AvroProducerConfig.events(base, StringSerializer.class, "/cwom/cli"))) {
            return producer.send(new ProducerRecord<>(Topics.ISSUES_SUBMITTED, file.issueId(), event.build()))
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new CliException(ExitCodes.UNAVAILABLE, "Kafka at " + bootstrapServers + " did not take the "
                    + "submission: " + cause, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "Interrupted", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Kafka at " + bootstrapServers + " did not take the "
                    + "submission: " + e.getMessage(), e);
        }
    }
}
