package dev.cwom.registry;

import org.apache.avro.Schema;

/**
 * One version of a subject: the subject, its version number (from 1), the global schema id and the schema.
 *
 * @param text    the schema as the registry stores and serves it ({@link Schema#toString()} of the parsed schema)
 * @param deleted soft-deleted: hidden unless a request asks for {@code deleted=true}, still readable by id
 */
public record RegisteredVersion(String subject, int version, int id, Schema schema, String text, boolean deleted) {

    /** This version soft-deleted. */
    RegisteredVersion asDeleted() {
        return new RegisteredVersion(subject, version, id, schema, text, true);
    }
}
