package dev.cwom;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.cwom.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** schemas' own main classes against the shared architecture rules. */
class ArchitectureTests {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses();

    @Test
    void packagesAreFreeOfCycles() {
        ArchitectureRules.noPackageCycles("dev.cwom").check(CLASSES);
    }

    @Test
    void importsNoService() {
        ArchitectureRules.noServiceImports("dev.cwom").check(CLASSES);
    }

    @Test
    void importsNoSpring() {
        ArchitectureRules.noSpring("dev.cwom").check(CLASSES);
    }
}
