package dev.cwom.artifacts;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The sink: persists runs and artifacts, stores artifact bodies, reaps runs whose worker was lost. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ArtifactApplication {

    /** The {@code ce_source} of every record this service writes (docs/events.md). */
    public static final String CLOUD_EVENTS_SOURCE = "/cwom/artifact-service";

    public static void main(String[] args) {
        SpringApplication.run(ArtifactApplication.class, args);
    }
}
