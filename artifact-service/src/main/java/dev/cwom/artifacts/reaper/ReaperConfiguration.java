package dev.cwom.artifacts.reaper;

import dev.cwom.artifacts.ArtifactServiceProperties;
import dev.cwom.artifacts.sink.SinkWriter;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
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
            KafkaTemplate<byte[], Object> cwomEventTemplate, Clock clock, ArtifactServiceProperties properties) {
        ArtifactServiceProperties.Reaper reaper = properties.reaper();
        return new RunReaper(jdbc, new TransactionTemplate(transactionManager), writer, cwomEventTemplate, clock,
                reaper.timeout(), reaper.maxPerRound(), reaper.publishTimeout());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "cwom.artifact.reaper.enabled", matchIfMissing = true)
    ReaperSchedule reaperSchedule(RunReaper reaper, ArtifactServiceProperties properties) {
        return new ReaperSchedule(reaper, properties.reaper());
    }
}
