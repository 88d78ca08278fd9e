package dev.cwom.localstack;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;

/**
 * Finds the services' executable Boot jars. They are dependencies of this module (classifier {@code exec}), so they
 * sit on its runtime classpath wherever it runs from (Maven's exec plugin, Surefire, an IDE); each is recognised by
 * its main class under {@code BOOT-INF/classes}.
 */
final class ServiceJars {

    static final String INGEST = "dev.cwom.ingest.IngestApplication";
    static final String WORKER = "dev.cwom.worker.WorkerApplication";
    static final String ARTIFACT = "dev.cwom.artifacts.ArtifactApplication";

    private ServiceJars() {
    }

    /** The Boot jar whose application class is {@code mainClass}. */
    static Path of(String mainClass) {
        String resource = "BOOT-INF/classes/" + mainClass.replace('.', '/') + ".class";
        URL url = ServiceJars.class.getClassLoader().getResource(resource);
        if (url == null || !"jar".equals(url.getProtocol())) {
            throw new IllegalStateException("No executable jar containing " + mainClass + " on the classpath. Build"
                    + " the services first: ./mvnw -B -pl local-stack -am -DskipTests package");
        }
        String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
        return Path.of(URI.create(file));
    }
}
