package dev.cwom.artifacts.blobs;

import dev.cwom.artifacts.ArtifactServiceProperties;
import dev.cwom.artifacts.PeriodicTask;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Builds the {@link BlobStore}, its uploads with their quota, and its janitor from {@code cwom.artifact.blobs.*}. */
@Configuration(proxyBeanMethods = false)
class BlobStoreConfiguration {

    @Bean
    BlobStore blobStore(ArtifactServiceProperties properties) {
        ArtifactServiceProperties.Blobs blobs = properties.blobs();
        return new BlobStore(blobs.root(), blobs.maxSize().toBytes());
    }

    @Bean
    BlobUploadLedger blobUploadLedger(JdbcClient jdbc) {
        return new BlobUploadLedger(jdbc);
    }

    @Bean
    BlobUploads blobUploads(BlobStore store, BlobUploadLedger ledger, ArtifactServiceProperties properties,
            PlatformTransactionManager transactionManager) {
        ArtifactServiceProperties.Quota quota = properties.blobs().quota();
        return new BlobUploads(store, ledger, new UploadRateLimiter(quota::uploadsPerMinuteFor, System::nanoTime),
                quota, new TransactionTemplate(transactionManager));
    }

    @Bean
    FilterRegistrationBean<BlobResponseHeadersFilter> blobResponseHeadersFilter() {
        FilterRegistrationBean<BlobResponseHeadersFilter> registration =
                new FilterRegistrationBean<>(new BlobResponseHeadersFilter());
        registration.addUrlPatterns("/blobs/*");
        // Before the security filters (order -100), so that their 401 and 403 answers carry the headers too.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    BlobJanitor blobJanitor(BlobStore store, JdbcTemplate jdbc, BlobUploadLedger ledger, Clock clock,
            ArtifactServiceProperties properties) {
        ArtifactServiceProperties.Blobs blobs = properties.blobs();
        return new BlobJanitor(store, jdbc, ledger, clock, blobs.incomingMaxAge(), blobs.orphanRetention());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "cwom.artifact.blobs.janitor-enabled", matchIfMissing = true)
    PeriodicTask blobJanitorSchedule(BlobJanitor janitor, ArtifactServiceProperties properties,
            BlobMetrics metrics) {
        return new PeriodicTask("blob-janitor", properties.blobs().janitorPeriod(),
                () -> metrics.swept(janitor.sweep()));
    }

    @Bean
    BlobMetrics blobMetrics(MeterRegistry registry) {
        return new BlobMetrics(registry);
    }
}
