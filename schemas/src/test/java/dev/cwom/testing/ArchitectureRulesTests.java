package dev.cwom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each architecture rule fails on a small fixture that breaks it, saying which rule and why, and passes otherwise. */
class ArchitectureRulesTests {

    private static final String FIXTURES = "dev.cwom.testing.architecture.fixtures";
    private static final JavaClasses CLASSES = new ClassFileImporter().importPackages(FIXTURES);

    @Test
    void aPackageCycleFailsNamingBothPackagesAndWhy() {
        assertThatThrownBy(() -> ArchitectureRules.noPackageCycles(FIXTURES + ".cycle").check(CLASSES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("packages under " + FIXTURES + ".cycle are free of cycles")
                .hasMessageContaining("because a cycle ties its packages into one lump")
                .hasMessageContaining("Alpha").hasMessageContaining("Beta");
        ArchitectureRules.noPackageCycles(FIXTURES + ".apart").check(CLASSES);
    }

    @Test
    void importingAnotherServiceFailsNamingTheImportAndWhy() {
        assertThatThrownBy(() -> ArchitectureRules.noImportsOf(FIXTURES + ".apart.own",
                List.of(FIXTURES + ".apart.other"), "services stay apart").check(CLASSES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("do not import " + FIXTURES + ".apart.other")
                .hasMessageContaining("because services stay apart")
                .hasMessageContaining("Own.other()");
        ArchitectureRules.noImportsOf(FIXTURES + ".apart.other", List.of(FIXTURES + ".apart.own"), "one way")
                .check(CLASSES);
    }

    @Test
    void springInTheModelFailsNamingTheClassAndWhy() {
        assertThatThrownBy(() -> ArchitectureRules.noSpring(FIXTURES + ".spring").check(CLASSES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("do not use Spring")
                .hasMessageContaining("because schemas is the model every service and outside client shares")
                .hasMessageContaining("UsesSpring");
        ArchitectureRules.noSpring(FIXTURES + ".cycle").check(CLASSES);
    }

    @Test
    void theServiceRulesForbidEveryOtherServiceButNotTheOwnOne() {
        assertThat(ArchitectureRules.noOtherServiceImports("dev.cwom.ingest").getDescription())
                .contains("dev.cwom.worker, dev.cwom.artifacts, dev.cwom.localstack")
                .doesNotContain("import dev.cwom.ingest,");
        assertThat(ArchitectureRules.noServiceImports("dev.cwom.service").getDescription())
                .contains("dev.cwom.ingest, dev.cwom.worker, dev.cwom.artifacts, dev.cwom.localstack");
    }
}
