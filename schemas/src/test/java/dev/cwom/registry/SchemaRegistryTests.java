package dev.cwom.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaRegistryTests {

    static final String V1 = """
            {"type":"record","name":"Probe","namespace":"dev.cwom.test","fields":[{"name":"a","type":"string"}]}""";
    static final String V2_COMPATIBLE = """
            {"type":"record","name":"Probe","namespace":"dev.cwom.test","fields":[{"name":"a","type":"string"},
             {"name":"b","type":["null","long"],"default":null}]}""";
    static final String V2_INCOMPATIBLE = """
            {"type":"record","name":"Probe","namespace":"dev.cwom.test","fields":[{"name":"a","type":"string"},
             {"name":"b","type":"long"}]}""";

    private final SchemaRegistry registry = SchemaRegistry.inMemory();

    @Test
    void givesTheSameSchemaTheSameIdInEverySubjectAndVersionsFromOne() {
        RegisteredVersion first = registry.register("a-value", V1);
        RegisteredVersion again = registry.register("a-value", V1.replace(" ", "  "));
        RegisteredVersion elsewhere = registry.register("b-value", V1);
        RegisteredVersion second = registry.register("a-value", V2_COMPATIBLE);

        assertThat(first.version()).isEqualTo(1);
        assertThat(again).isEqualTo(first);
        assertThat(elsewhere.id()).isEqualTo(first.id());
        assertThat(elsewhere.version()).isEqualTo(1);
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.version()).isEqualTo(2);
        assertThat(registry.versions("a-value")).containsExactly(1, 2);
        assertThat(registry.version("a-value", "latest")).isEqualTo(second);
        assertThat(registry.version("a-value", "-1")).isEqualTo(second);
        assertThat(registry.subjects()).containsExactly("a-value", "b-value");
    }

    @Test
    void refusesABackwardIncompatibleSchemaNamingTheProblem() {
        registry.register("a-value", V1);

        assertThatThrownBy(() -> registry.register("a-value", V2_INCOMPATIBLE))
                .isInstanceOfSatisfying(RegistryError.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT")
                .hasMessageContaining("/fields/1");
        assertThat(registry.checkCompatibility("a-value", "latest", V2_INCOMPATIBLE)).isNotEmpty();
        assertThat(registry.checkCompatibility("a-value", "1", V2_COMPATIBLE)).isEmpty();

        registry.setCompatibility("a-value", CompatibilityLevel.NONE);
        assertThat(registry.register("a-value", V2_INCOMPATIBLE).version()).isEqualTo(2);
    }

    @Test
    void answersConfluentsCodesForBadRequests() {
        registry.register("a-value", V1);

        assertThatThrownBy(() -> registry.register("a-value", "{\"type\":\"record\",\"name\":\"X\"}"))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(42201))
                .hasMessageContaining("fields");
        assertThatThrownBy(() -> registry.version("a-value", "zero"))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(42202));
        assertThatThrownBy(() -> registry.version("a-value", "7"))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(40402));
        assertThatThrownBy(() -> registry.versions("nope"))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> registry.schemaById(99))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> registry.lookup("a-value", V2_COMPATIBLE))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS"))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
    }

    @Test
    void rebuildsTheSameIdsVersionsAndLevelsFromItsStore() {
        List<StoreRecord> log = new ArrayList<>();
        SchemaStore recording = new SchemaStore() {
            @Override
            public List<StoreRecord> readAll() {
                return List.copyOf(log);
            }

            @Override
            public void append(StoreRecord change) {
                log.add(change);
            }
        };
        SchemaRegistry before = SchemaRegistry.open(recording, CompatibilityLevel.BACKWARD);
        int id1 = before.register("a-value", V1).id();
        int id2 = before.register("a-value", V2_COMPATIBLE).id();
        before.setCompatibility(null, CompatibilityLevel.FULL);
        before.setCompatibility("a-value", CompatibilityLevel.NONE);

        SchemaRegistry after = SchemaRegistry.open(recording, CompatibilityLevel.BACKWARD);

        assertThat(after.schemaById(id1).text()).isEqualTo(before.schemaById(id1).text());
        assertThat(after.version("a-value", "latest").id()).isEqualTo(id2);
        assertThat(after.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(after.subjectCompatibility("a-value")).contains(CompatibilityLevel.NONE);
        assertThat(after.register("b-value", V2_INCOMPATIBLE).id()).isGreaterThan(id2);
    }

    @Test
    void answers50001AndChangesNothingWhenTheStoreFails() {
        SchemaStore broken = new SchemaStore() {
            @Override
            public List<StoreRecord> readAll() {
                return List.of();
            }

            @Override
            public void append(StoreRecord change) {
                throw new IllegalStateException("broker down");
            }
        };
        SchemaRegistry failing = SchemaRegistry.open(broken, CompatibilityLevel.BACKWARD);

        assertThatThrownBy(() -> failing.register("a-value", V1))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(50001))
                .hasMessageContaining("broker down");
        assertThat(failing.subjects()).isEmpty();
    }
}
