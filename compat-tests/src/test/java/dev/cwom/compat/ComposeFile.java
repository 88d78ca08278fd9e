package dev.cwom.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testcontainers.utility.DockerImageName;
import org.yaml.snakeyaml.Yaml;

/**
 * The services of the repository's docker-compose.yml, the one place the images, their tags and their settings are
 * named: the containers here start exactly what compose starts.
 */
final class ComposeFile {

    static final Path PATH = Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();

    private final Map<String, Object> services;

    private ComposeFile(Map<String, Object> services) {
        this.services = services;
    }

    @SuppressWarnings("unchecked")
    static ComposeFile read() {
        try {
            Map<String, Object> compose = new Yaml().load(Files.readString(PATH));
            return new ComposeFile((Map<String, Object>) compose.get("services"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + PATH, e);
        }
    }

    /** The image of compose service {@code name}, e.g. {@code apache/kafka:4.3.1} for {@code kafka-1}. */
    DockerImageName image(String name) {
        Object image = service(name).get("image");
        if (!(image instanceof String text)) {
            throw new IllegalStateException("Service '" + name + "' of " + PATH + " names no image");
        }
        return DockerImageName.parse(text);
    }

    /** The environment compose gives service {@code name}, values as strings. */
    Map<String, String> environment(String name) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (service(name).get("environment") instanceof Map<?, ?> variables) {
            variables.forEach((key, value) -> environment.put(key.toString(), String.valueOf(value)));
        }
        return environment;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        Object service = services.get(name);
        if (!(service instanceof Map<?, ?>)) {
            throw new IllegalStateException("No service '" + name + "' in " + PATH + "; it has " + services.keySet());
        }
        return (Map<String, Object>) service;
    }
}
