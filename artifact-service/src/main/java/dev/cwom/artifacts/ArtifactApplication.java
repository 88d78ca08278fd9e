package dev.cwom.artifacts;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The sink: persists runs and artifacts, stores artifact bodies, reaps runs whose worker was lost. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ArtifactApplication {

    public static void main(String[] args) {
        SpringApplication.run(ArtifactApplication.class, args);
    }
}
