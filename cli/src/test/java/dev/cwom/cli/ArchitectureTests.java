package dev.cwom.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.cwom.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The CLI's main classes against the shared architecture rules: a client of the APIs, no service, no Spring. */
class ArchitectureTests {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses();

    @Test
    void packagesAreFreeOfCycles() {
        ArchitectureRules.noPackageCycles("dev.cwom.cli").check(CLASSES);
    }

    @Test
    void importsNoService() {
        ArchitectureRules.noServiceImports("dev.cwom.cli").check(CLASSES);
    }

    @Test
    void importsNoSpring() {
        ArchitectureRules.noSpring("dev.cwom.cli").check(CLASSES);
    }
}
