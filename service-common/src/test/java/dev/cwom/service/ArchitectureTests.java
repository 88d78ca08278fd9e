package dev.cwom.service;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.cwom.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** service-common's own main classes against the shared architecture rules. */
class ArchitectureTests {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses();

    @Test
    void packagesAreFreeOfCycles() {
        ArchitectureRules.noPackageCycles("dev.cwom.service").check(CLASSES);
    }

    @Test
    void importsNoService() {
        ArchitectureRules.noServiceImports("dev.cwom.service").check(CLASSES);
    }
}
