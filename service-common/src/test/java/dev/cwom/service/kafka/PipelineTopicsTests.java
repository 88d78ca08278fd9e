package dev.cwom.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class PipelineTopicsTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PipelineTopicsAutoConfiguration.class));

    @Test
    void aClusterOfThreeGetsThreeReplicasOfEachTopicAndNeedsTwoInSync() {
        context.withPropertyValues("cwom.kafka.topics.replication-factor=3",
                "cwom.kafka.topics.min-insync-replicas=2").run(app -> {
                    NewTopic topic = app.getBean(PipelineTopics.class).topic("cwom.runs.v1", 12).compact().build();
                    assertThat(topic.numPartitions()).isEqualTo(12);
                    assertThat(topic.replicationFactor()).isEqualTo((short) 3);
                    assertThat(topic.configs()).containsEntry("min.insync.replicas", "2")
                            .containsEntry("cleanup.policy", "compact");
                });
    }

    @Test
    void unsetTheBrokersDefaultsApply() {
        context.run(app -> {
            NewTopic topic = app.getBean(PipelineTopics.class).topic("cwom.runs.v1", 12).build();
            assertThat(topic.replicationFactor()).as("-1: the broker's default.replication.factor").isEqualTo((short) -1);
            assertThat(topic.configs()).as("no topic config: the broker's min.insync.replicas").isNullOrEmpty();
        });
    }
}
