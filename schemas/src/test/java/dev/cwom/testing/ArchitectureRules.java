package dev.cwom.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture rules every module checks in its {@code ArchitectureTests}, against its own main classes. Each
 * rule says why it exists, so a failure names the rule, the reason and the offending dependencies.
 */
public final class ArchitectureRules {

    /** The root package of each service module; a service imports only its own. */
    public static final List<String> SERVICES = List.of("dev.cwom.ingest", "dev.cwom.worker", "dev.cwom.artifacts",
            "dev.cwom.localstack");

    private ArchitectureRules() {
    }

    /** The module's own main classes: Maven runs tests in the module's folder, its classes in target/classes. */
    public static JavaClasses mainClasses() {
        Path classes = Path.of("target", "classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("No compiled classes in " + classes.toAbsolutePath()
                    + "; run the architecture tests through Maven, from the module's folder");
        }
        return new ClassFileImporter().importPath(classes);
    }

    /** No two packages under {@code root} depend on each other, directly or through others. */
    public static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").namingSlices("package " + root + ".$1")
                .as("packages under " + root + " are free of cycles").should().beFreeOfCycles()
                .because("a cycle ties its packages into one lump that can only be understood, tested and changed "
                        + "together; invert one dependency (e.g. publish an event, or move the shared type to a "
                        + "package both may use)");
    }

    /** Nothing under {@code root} imports another service's packages: each service is deployed on its own. */
    public static ArchRule noOtherServiceImports(String root) {
        return noImportsOf(root, SERVICES.stream().filter(service -> !service.equals(root)).toList(),
                "services talk through Kafka topics and HTTP only, never through each other's classes, so each "
                        + "one can be built, deployed and changed on its own; share code through schemas or "
                        + "service-common instead");
    }

    /** Nothing under {@code root} imports any service: libraries and clients must not know a service's classes. */
    public static ArchRule noServiceImports(String root) {
        return noImportsOf(root, SERVICES, "libraries (schemas, service-common) are what the services use, so a "
                + "dependency back on a service would be a cycle between modules; clients (cli) talk to services "
                + "over Kafka and HTTP only");
    }

    /** Nothing under {@code root} imports Spring. */
    public static ArchRule noSpring(String root) {
        return noClasses().that().resideInAPackage(root + "..").should().dependOnClassesThat()
                .resideInAPackage("org.springframework..").as("classes under " + root + " do not use Spring")
                .because("schemas is the model every service and outside client shares; it must stay usable "
                        + "without Spring (the Avro serde, the registry client, the validation run anywhere)");
    }

    /** Nothing under {@code root} imports anything under {@code forbidden}, for {@code reason}. */
    static ArchRule noImportsOf(String root, List<String> forbidden, String reason) {
        return noClasses().that().resideInAPackage(root + "..").should().dependOnClassesThat()
                .resideInAnyPackage(forbidden.stream().map(p -> p + "..").toArray(String[]::new))
                .as("classes under " + root + " do not import " + String.join(", ", forbidden))
                .because(reason);
    }
}
