package dev.cwom.registry;

import org.apache.avro.Schema;

/**
 * One version of a subject: the subject, its version number (from 1), the global schema id and the schema.
 *
 * @param text the schema as the registry stores and serves it ({@link Schema#toString()} of the parsed schema)
 */
public record RegisteredVersion(String subject, int version, int id, Schema schema, String text) {
}
