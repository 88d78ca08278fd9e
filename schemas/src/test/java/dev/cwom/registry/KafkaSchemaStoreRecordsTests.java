package dev.cwom.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.registry.StoreRecord.CompatibilityCleared;
import dev.cwom.registry.StoreRecord.CompatibilitySet;
import dev.cwom.registry.StoreRecord.ModeCleared;
import dev.cwom.registry.StoreRecord.ModeSet;
import dev.cwom.registry.StoreRecord.SchemaRegistered;
import dev.cwom.registry.StoreRecord.SubjectDeleted;
import dev.cwom.registry.StoreRecord.VersionPurged;
import org.junit.jupiter.api.Test;

/** The {@code _schemas} records as Confluent's registry writes them (keys and values verbatim), read as changes. */
class KafkaSchemaStoreRecordsTests {

    /** {"type":"string"} as it stands inside the value's JSON string. */
    private static final String SCHEMA = "{\\\"type\\\":\\\"string\\\"}";

    @Test
    void readsConfluentsSchemaDeleteConfigAndModeRecordsAndTheirTombstones() {
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"SCHEMA","subject":"orders-value","version":2,"magic":1}""", """
                {"subject":"orders-value","version":2,"id":7,"schemaType":"AVRO","schema":"%s","deleted":true}"""
                .formatted(SCHEMA)))
                .isEqualTo(new SchemaRegistered("orders-value", 2, 7, "{\"type\":\"string\"}", true));
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"SCHEMA","subject":"orders-value","version":2,"magic":1}""", null))
                .isEqualTo(new VersionPurged("orders-value", 2));
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"DELETE_SUBJECT","subject":"orders-value","magic":0}""", """
                {"subject":"orders-value","version":3}"""))
                .isEqualTo(new SubjectDeleted("orders-value", 3));
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"CONFIG","subject":null,"magic":0}""", """
                {"compatibilityLevel":"FULL"}"""))
                .isEqualTo(new CompatibilitySet(null, CompatibilityLevel.FULL));
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"CONFIG","subject":"orders-value","magic":0}""", null))
                .isEqualTo(new CompatibilityCleared("orders-value"));
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"MODE","subject":"orders-value","magic":0}""", """
                {"subject":"orders-value","mode":"READONLY_OVERRIDE"}"""))
                .isEqualTo(new ModeSet("orders-value", RegistryMode.READONLY));
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"MODE","subject":"orders-value","magic":0}""", null))
                .isEqualTo(new ModeCleared("orders-value"));
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"NOOP","magic":0}""", "{}")).isNull();
        assertThat(KafkaSchemaStore.decode("""
                {"keytype":"DELETE_SUBJECT","subject":"orders-value","magic":0}""", null)).isNull();
    }
}
