package dev.cwom.localstack;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.cwom.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** local-stack's own main classes against the shared architecture rules. */
class ArchitectureTests {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses();

    @Test
    void packagesAreFreeOfCycles() {
        ArchitectureRules.noPackageCycles("dev.cwom.localstack").check(CLASSES);
    }

    @Test
    void importsNoOtherService() {
        ArchitectureRules.noOtherServiceImports("dev.cwom.localstack").check(CLASSES);
    }
}
