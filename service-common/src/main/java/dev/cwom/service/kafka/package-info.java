/**
 * How the services' Kafka consumers (ingest's intake and run status, artifact-service's sink) handle a record that
 * fails: one classification of failures into categories ({@link dev.cwom.service.kafka.FailureCategory}), one error
 * handler built from it, and one recoverer that publishes a {@code RecordRejected} to the service's rejected topic. Also
 * how every service declares the pipeline topics it creates, replicated as the cluster needs
 * ({@link dev.cwom.service.kafka.PipelineTopics}).
 */
@NullMarked
package dev.cwom.service.kafka;

import org.jspecify.annotations.NullMarked;
