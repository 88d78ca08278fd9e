package dev.cwom.registry;

import static dev.cwom.registry.SchemaRegistryTests.V1;
import static dev.cwom.registry.SchemaRegistryTests.V2_COMPATIBLE;
import static dev.cwom.registry.SchemaRegistryTests.V2_INCOMPATIBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Soft and permanent deletion and the registry modes, as Confluent has them, replayed from the store. */
class SchemaRegistryDeletionAndModeTests {

    private final List<StoreRecord> log = new ArrayList<>();
    private final SchemaStore recording = new SchemaStore() {
        @Override
        public List<StoreRecord> readAll() {
            return List.copyOf(log);
        }

        @Override
        public void append(StoreRecord change) {
            log.add(change);
        }
    };
    private final SchemaRegistry registry = SchemaRegistry.open(recording, CompatibilityLevel.BACKWARD);

    @Test
    void softDeletedVersionsHideButKeepTheirIdsAndNumbers() {
        int id1 = registry.register("a-value", V1).id();
        int id2 = registry.register("a-value", V2_COMPATIBLE).id();

        assertThat(registry.deleteVersion("a-value", "latest", false)).isEqualTo(2);

        assertThat(registry.versions("a-value")).containsExactly(1);
        assertThat(registry.versions("a-value", true)).containsExactly(1, 2);
        assertThat(registry.version("a-value", "latest").version()).isEqualTo(1);
        assertCode(() -> registry.version("a-value", "2"), 40402);
        assertThat(registry.version("a-value", "2", true).deleted()).isTrue();
        assertCode(() -> registry.lookup("a-value", V2_COMPATIBLE), 40403);
        assertThat(registry.lookup("a-value", V2_COMPATIBLE, true).version()).isEqualTo(2);
        // consumers holding records written with it still decode them
        assertThat(registry.schemaById(id2).text()).contains("\"b\"");
        assertThat(registry.usages(id2, false)).isEmpty();
        assertThat(registry.usages(id2, true)).extracting(RegisteredVersion::version).containsExactly(2);
        // registered again, it is a new version with its old id
        RegisteredVersion again = registry.register("a-value", V2_COMPATIBLE);
        assertThat(again.version()).isEqualTo(3);
        assertThat(again.id()).isEqualTo(id2);
        assertThat(registry.usages(id1, false)).extracting(RegisteredVersion::subject).containsExactly("a-value");
    }

    @Test
    void softDeletedVersionsDoNotTakePartInCompatibility() {
        registry.setCompatibility("a-value", CompatibilityLevel.NONE);
        registry.register("a-value", V2_COMPATIBLE);
        registry.register("a-value", V2_INCOMPATIBLE);
        registry.setCompatibility("a-value", CompatibilityLevel.BACKWARD_TRANSITIVE);
        assertCode(() -> registry.register("a-value", V1.replace("\"a\"", "\"c\"")), 409);

        registry.deleteVersion("a-value", "1", false);
        registry.deleteVersion("a-value", "2", false);

        assertThat(registry.checkCompatibility("a-value", "latest", V1)).isEmpty();
    }

    @Test
    void aSubjectIsSoftDeletedBeforeItCanBePurgedAndThenStartsAgainFromVersionOne() {
        registry.register("a-value", V1);
        int id2 = registry.register("a-value", V2_COMPATIBLE).id();
        registry.setCompatibility("a-value", CompatibilityLevel.NONE);
        registry.setMode("a-value", RegistryMode.READWRITE, false);

        assertCode(() -> registry.deleteSubject("a-value", true), 40405);
        assertCode(() -> registry.deleteVersion("a-value", "1", true), 40407);
        assertThat(registry.deleteSubject("a-value", false)).containsExactly(1, 2);
        assertCode(() -> registry.deleteSubject("a-value", false), 40404);
        assertCode(() -> registry.deleteVersion("a-value", "1", false), 40406);
        assertThat(registry.subjects()).isEmpty();
        assertThat(registry.subjects(true)).containsExactly("a-value");
        assertCode(() -> registry.versions("a-value"), 40401);
        assertCode(() -> registry.version("a-value", "1"), 40401);
        // a soft delete keeps the subject's own level, as Confluent does
        assertThat(registry.subjectCompatibility("a-value")).isPresent();

        assertThat(registry.deleteSubject("a-value", true)).containsExactly(1, 2);

        assertThat(registry.subjects(true)).isEmpty();
        assertCode(() -> registry.versions("a-value", true), 40401);
        assertCode(() -> registry.schemaById(id2), 40403);
        assertCode(() -> registry.deleteSubject("a-value", false), 40401);
        assertThat(registry.subjectCompatibility("a-value")).isEmpty();
        assertThat(registry.subjectMode("a-value")).isEmpty();
        assertThat(registry.register("a-value", V2_COMPATIBLE).version()).isEqualTo(1);
    }

    @Test
    void aPurgedVersionIsGoneButItsSchemaStaysReadableWhileAnotherSubjectHoldsIt() {
        int id = registry.register("a-value", V1).id();
        registry.register("b-value", V1);
        registry.deleteVersion("a-value", "1", false);

        assertThat(registry.deleteVersion("a-value", "1", true)).isEqualTo(1);

        assertCode(() -> registry.version("a-value", "1", true), 40401);
        assertThat(registry.schemaById(id).subject()).isEqualTo("b-value");
        assertCode(() -> registry.deleteVersion("b-value", "9", false), 40402);
        assertCode(() -> registry.deleteVersion("b-value", "zero", false), 42202);
    }

    @Test
    void readOnlyRefusesRegistrationAndDeletionButNotReads() {
        registry.register("a-value", V1);
        registry.setMode(null, RegistryMode.READONLY, false);

        assertCode(() -> registry.register("a-value", V2_COMPATIBLE), 42205);
        assertCode(() -> registry.deleteSubject("a-value", false), 42205);
        assertCode(() -> registry.deleteVersion("a-value", "1", false), 42205);
        assertThat(registry.version("a-value", "latest").version()).isEqualTo(1);

        // a subject of its own mode is writable under a read-only registry
        registry.setMode("b-value", RegistryMode.READWRITE, false);
        assertThat(registry.register("b-value", V1).version()).isEqualTo(1);
        assertThat(registry.clearMode("b-value")).isEqualTo(RegistryMode.READWRITE);
        assertCode(() -> registry.register("b-value", V2_COMPATIBLE), 42205);
        assertCode(() -> registry.clearMode("b-value"), 40409);
        assertCode(() -> RegistryMode.parse("SIDEWAYS"), 42204);
    }

    @Test
    void importKeepsTheGivenIdsAndVersionsAndNeedsForceOverExistingSubjects() {
        registry.register("a-value", V1);
        assertCode(() -> registry.register("a-value", V2_COMPATIBLE, 500, null), 42205);
        assertCode(() -> registry.setMode(null, RegistryMode.IMPORT, false), 42205);

        registry.setMode("imported-value", RegistryMode.IMPORT, false);
        assertCode(() -> registry.register("imported-value", V1), 42205);
        RegisteredVersion imported = registry.register("imported-value", V2_INCOMPATIBLE, 500, 7);
        assertThat(imported.id()).isEqualTo(500);
        assertThat(imported.version()).isEqualTo(7);
        assertThat(registry.register("imported-value", V2_INCOMPATIBLE, 500, 7)).isEqualTo(imported);
        // the next one follows without a compatibility check (the source registry checked it)
        assertThat(registry.register("imported-value", V1, 501, null).version()).isEqualTo(8);
        assertCode(() -> registry.register("imported-value", V2_COMPATIBLE, 500, null), 42205);
        assertCode(() -> registry.register("imported-value", V2_COMPATIBLE, 502, 7), 42205);

        registry.setMode(null, RegistryMode.IMPORT, true);
        registry.clearMode("imported-value");
        registry.setMode(null, RegistryMode.READWRITE, false);
        // ids go on above the imported ones
        assertThat(registry.register("c-value", V2_COMPATIBLE).id()).isEqualTo(502);
    }

    @Test
    void deletionsAndModesAreReplayedFromTheStore() {
        registry.register("a-value", V1);
        registry.register("a-value", V2_COMPATIBLE);
        registry.register("b-value", V1);
        registry.deleteVersion("a-value", "1", false);
        registry.deleteSubject("b-value", false);
        registry.deleteSubject("b-value", true);
        registry.setMode("a-value", RegistryMode.READONLY, false);
        registry.setMode(null, RegistryMode.IMPORT, true);

        SchemaRegistry after = SchemaRegistry.open(recording, CompatibilityLevel.BACKWARD);

        assertThat(after.versions("a-value")).containsExactly(2);
        assertThat(after.versions("a-value", true)).containsExactly(1, 2);
        assertThat(after.subjects(true)).containsExactly("a-value");
        assertThat(after.subjectMode("a-value")).contains(RegistryMode.READONLY);
        assertThat(after.globalMode()).isEqualTo(RegistryMode.IMPORT);
    }

    private static void assertCode(ThrowingCallable call, int code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RegistryError.class,
                e -> assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(code));
    }
}
