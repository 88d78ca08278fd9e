package dev.cwom.artifacts.provenance;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OpenLineage settings ({@code cwom.lineage.*}); a prefix of their own, not {@code cwom.artifact}, because they
 * describe the deployment's place in the lineage tool, not artifact-service.
 *
 * @param namespace the OpenLineage namespace of every job and dataset of this deployment
 * @param producer the {@code producer} URI of every event and facet
 * @param http the optional HTTP endpoint the events are also POSTed to
 */
@ConfigurationProperties("cwom.lineage")
public record LineageProperties(@DefaultValue("cwom") String namespace,
        @DefaultValue("urn:cwom:artifact-service") URI producer, @DefaultValue Http http) {

    /**
     * An OpenLineage HTTP endpoint, Marquez-compatible ({@code POST {url}/api/v1/lineage}); off while {@code url}
     * is unset. Best effort: the topic is the record.
     *
     * @param url the endpoint's base address, e.g. {@code http://marquez:5000}
     * @param apiKey sent as {@code Authorization: Bearer <key>} when set
     * @param timeout connect and request timeout of one POST
     * @param attempts how often one event is tried before it is dropped (with a warning; it stays on the topic)
     * @param backoff wait before the second attempt, doubling after each further one
     * @param queueCapacity events waiting to be POSTed; when full, new events are dropped (with a warning) rather
     *     than slowing the pipeline
     */
    public record Http(@Nullable URI url, @Nullable String apiKey, @DefaultValue("5s") Duration timeout,
            @DefaultValue("5") int attempts, @DefaultValue("1s") Duration backoff,
            @DefaultValue("10000") int queueCapacity) {

        public Http {
            if (attempts < 1 || queueCapacity < 1) {
                throw new IllegalArgumentException("cwom.lineage.http.attempts (" + attempts + ") and queue-capacity ("
                        + queueCapacity + ") must be at least 1");
            }
        }
    }
}
