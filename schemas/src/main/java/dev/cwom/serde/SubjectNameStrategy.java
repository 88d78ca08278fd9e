package dev.cwom.serde;

import org.apache.avro.Schema;

/**
 * Names the registry subject a record's schema is registered under, as Confluent's
 * {@code key.subject.name.strategy} / {@code value.subject.name.strategy} do. Implementations need a public no-arg
 * constructor.
 */
public interface SubjectNameStrategy {

    /** The subject for a record of {@code schema} on {@code topic}, as key or value. */
    String subjectName(String topic, boolean isKey, Schema schema);

    /** {@code <topic>-key} / {@code <topic>-value}: one schema (line) per topic. Confluent's default. */
    final class TopicNameStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    }

    /** The record's full name, e.g. {@code dev.cwom.events.RunEvent}: several record types per topic. */
    final class RecordNameStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    }

    /** {@code <topic>-<record full name>}. */
    final class TopicRecordNameStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    }
}
