package dev.cwom.artifacts.reaper;

import dev.cwom.artifacts.ArtifactServiceProperties;
import dev.cwom.artifacts.PeriodicTask;
import dev.cwom.artifacts.sink.SinkWriter;
import dev.cwom.service.tracing.TraceHeaders;
import java.time.Clock;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The reaper and its schedule ({@code cwom.artifact.reaper.*}). */
@Configuration(proxyBeanMethods = false)
class ReaperConfiguration {

    @Bean
    RunReaper runReaper(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, SinkWriter writer,
            KafkaTemplate<byte[], Object> cwomEventTemplate, Clock clock, ArtifactServiceProperties properties,
            SinkProgress sinkProgress, TraceHeaders traces) {
        ArtifactServiceProperties.Reaper reaper = properties.reaper();
        return new RunReaper(jdbc, new TransactionTemplate(transactionManager), writer, cwomEventTemplate, clock,
                reaper.timeout(), reaper.maxPerRound(), reaper.publishTimeout(), sinkProgress,
                reaper.sinkCatchUpWait(), traces);
    }

    /** The reaper's view of the sink group's progress; its admin client is closed with the context. */
    @Bean
    SinkProgress sinkProgress(KafkaProperties kafka, ArtifactServiceProperties properties) {
        return new SinkProgress(Admin.create(kafka.buildAdminProperties()), kafka.buildConsumerProperties(),
                properties.sink().groupId(), properties.reaper().publishTimeout());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "cwom.artifact.reaper.enabled", matchIfMissing = true)
    PeriodicTask reaperSchedule(RunReaper reaper, ArtifactServiceProperties properties) {
        return new PeriodicTask("run-reaper", properties.reaper().period(), reaper::reap);
    }
}
