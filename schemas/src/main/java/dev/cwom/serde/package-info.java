/**
 * Kafka serde for Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) with
 * Confluent's configuration names, so Confluent's {@code KafkaAvroSerializer} can replace it by configuration:
 * {@link dev.cwom.serde.KafkaAvroSerializer}, {@link dev.cwom.serde.KafkaAvroDeserializer}, their
 * {@link dev.cwom.serde.AvroSerdeConfig} and the registry clients behind {@link dev.cwom.serde.SchemaRegistryClient}.
 *
 * <p>Errors are typed, all {@link org.apache.kafka.common.errors.SerializationException}s (so Spring Kafka's
 * {@code ErrorHandlingDeserializer} carries them as the cause of its {@code DeserializationException}). Only
 * {@link dev.cwom.serde.RegistryUnavailableException} is worth retrying; every other
 * {@link dev.cwom.serde.AvroSerdeException} is a property of the record or the configuration and will fail the
 * same way again. {@link dev.cwom.serde.SerdeErrors#isRetryable(Throwable)} decides by type through a cause chain.
 */
@NullMarked
package dev.cwom.serde;

import org.jspecify.annotations.NullMarked;
