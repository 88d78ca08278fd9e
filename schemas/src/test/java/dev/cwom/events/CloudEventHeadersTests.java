package dev.cwom.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTests {

    private static final Instant AT = Instant.parse("2026-12-07T10:15:30.123Z");

    @Test
    void aRunEventIsNamedByItsPayloadAndItsRun() {
        RunEvent event = new RunEvent();
        event.setEventId("01JEVENT");
        event.setOccurredAt(AT);
        event.setRunId("run-1");
        event.setIssueId("issue-1");
        event.setPayload(new RunFinished());

        assertThat(CloudEventHeaders.of(event, "/cwom/worker/w-1")).containsExactly(
                Map.entry("ce_specversion", "1.0"), Map.entry("ce_id", "01JEVENT"),
                Map.entry("ce_source", "/cwom/worker/w-1"), Map.entry("ce_type", "dev.cwom.run.finished.v1"),
                Map.entry("ce_time", "2026-12-07T10:15:30.123Z"), Map.entry("ce_subject", "run-1"),
                Map.entry("content-type", "application/avro"));

        event.setPayload(new RunStarted());
        assertThat(CloudEventHeaders.of(event, "/s")).containsEntry("ce_type", "dev.cwom.run.started.v1");
        event.setPayload(new RunHeartbeat());
        assertThat(CloudEventHeaders.of(event, "/s")).containsEntry("ce_type", "dev.cwom.run.heartbeat.v1");
    }

    @Test
    void issueEventsAreAboutTheirIssue() {
        WorkOrder order = new WorkOrder();
        order.setEventId("e1");
        order.setOccurredAt(AT);
        order.setIssueId("issue-1");
        assertThat(CloudEventHeaders.of(order, "/cwom/ingest"))
                .containsEntry("ce_type", "dev.cwom.issue.ready.v1").containsEntry("ce_subject", "issue-1");

        IssueCanceled canceled = new IssueCanceled();
        canceled.setEventId("e2");
        canceled.setOccurredAt(AT);
        canceled.setIssueId("issue-2");
        assertThat(CloudEventHeaders.of(canceled, "/cwom/ingest"))
                .containsEntry("ce_type", "dev.cwom.issue.canceled.v1").containsEntry("ce_subject", "issue-2");
        canceled.setWithdrawnThroughAttempt(3);
        assertThat(CloudEventHeaders.of(canceled, "/cwom/ingest"))
                .containsEntry("ce_type", "dev.cwom.issue.withdrawn.v1");

        IssueSubmitted submitted = new IssueSubmitted();
        submitted.setEventId("e3");
        submitted.setOccurredAt(AT);
        assertThat(CloudEventHeaders.of(submitted, "/cwom/cli"))
                .containsEntry("ce_type", "dev.cwom.issue.submitted.v1").doesNotContainKey("ce_subject");
    }

    @Test
    void artifactsAndRejectionsHaveTheirOwnTypes() {
        ArtifactCreated artifact = new ArtifactCreated();
        artifact.setEventId("e4");
        artifact.setOccurredAt(AT);
        artifact.setRunId("run-4");
        assertThat(CloudEventHeaders.of(artifact, "/cwom/worker/w"))
                .containsEntry("ce_type", "dev.cwom.artifact.created.v1").containsEntry("ce_subject", "run-4");

        RecordRejected rejected = new RecordRejected();
        rejected.setEventId("e5");
        rejected.setOccurredAt(AT);
        rejected.setSourceTopic(Topics.RUNS);
        assertThat(CloudEventHeaders.of(rejected, "/cwom/artifact-service"))
                .containsEntry("ce_type", "dev.cwom.record.rejected.v1").containsEntry("ce_subject", Topics.RUNS);
    }

    @Test
    void somethingElseGetsNoAttributes() {
        assertThat(CloudEventHeaders.of("not an event", "/s")).isEmpty();
    }

    @Test
    void theInterceptorReplacesWhatARetriedRecordCarried() {
        CloudEventsInterceptor interceptor = new CloudEventsInterceptor();
        interceptor.configure(Map.of(CloudEventsInterceptor.SOURCE_CONFIG, "/cwom/ingest"));
        WorkOrder order = new WorkOrder();
        order.setEventId("e6");
        order.setOccurredAt(AT);
        order.setIssueId("issue-6");
        ProducerRecord<Object, Object> record = new ProducerRecord<>(Topics.ISSUES_READY, "issue-6", order);
        record.headers().add("ce_id", "stale".getBytes(StandardCharsets.UTF_8));

        Headers headers = interceptor.onSend(record).headers();

        assertThat(headers.headers("ce_id")).hasSize(1);
        assertThat(new String(headers.lastHeader("ce_id").value(), StandardCharsets.UTF_8)).isEqualTo("e6");
        assertThat(new String(headers.lastHeader("ce_source").value(), StandardCharsets.UTF_8))
                .isEqualTo("/cwom/ingest");
    }

    @Test
    void aProducerWithoutASourceIsAConfigurationError() {
        assertThatThrownBy(() -> new CloudEventsInterceptor().configure(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(CloudEventsInterceptor.SOURCE_CONFIG);
    }
}
