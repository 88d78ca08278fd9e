package dev.cwom.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.cwom.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** cli's own main classes against the shared architecture rules: a client of the services, never part of one. */
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
