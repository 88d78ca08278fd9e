package dev.cwom.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.events.WorkOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class TrustedAvroClassesTests {

    @Test
    void aWriterSchemaMayNameOurGeneratedRecordsButNoOtherClass() {
        TrustedAvroClasses.trustPackage(TrustedAvroClasses.CWOM_EVENTS);

        assertThat(new SpecificData().getClass(WorkOrder.getClassSchema())).isEqualTo(WorkOrder.class);
        // a schema naming a class of the serde's own package: on the classpath, but not a generated record
        Schema foreign = SchemaBuilder.record(AvroSerdeConfig.class.getName()).fields().endRecord();
        assertThatThrownBy(() -> new SpecificData().getClass(foreign))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining(AvroSerdeConfig.class.getName());
    }
}
