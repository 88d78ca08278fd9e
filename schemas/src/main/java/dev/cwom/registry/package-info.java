/**
 * A small Confluent-Schema-Registry-compatible registry for the local stack and tests: the rules
 * ({@link dev.cwom.registry.SchemaRegistry}), durable storage in the compacted {@code _schemas} topic
 * ({@link dev.cwom.registry.KafkaSchemaStore}) and the REST server ({@link dev.cwom.registry.SchemaRegistryServer}).
 * Production uses Confluent Schema Registry; both speak the same protocol.
 */
@NullMarked
package dev.cwom.registry;

import org.jspecify.annotations.NullMarked;
