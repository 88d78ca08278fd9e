package dev.cwom.service.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code schemaRegistry} in {@code /actuator/health} and the readiness group: UP when one of the registry's URLs
 * ({@code schema.registry.url}) answers {@code GET /subjects} below 500 within {@code timeout}. A 401 or 403 counts
 * as up: the registry is there, and whether this service may read subjects is its serializers' business, not
 * readiness'. An in-memory {@code mock://} registry is always up.
 */
public final class SchemaRegistryHealth implements HealthIndicator {

    private final List<String> urls;
    private final Duration timeout;
    private final HttpClient http;

    /** @param registryUrls the comma-separated {@code schema.registry.url} */
    public SchemaRegistryHealth(String registryUrls, Duration timeout) {
        this.urls = Arrays.stream(registryUrls.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Health health() {
        for (String url : urls) {
            if (url.startsWith("mock://")) {
                return Health.up().withDetail("registry", "in-memory").build();
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(stripSlash(url) + "/subjects"))
                        .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() < 500) {
                    return Health.up().build();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down().withDetail("reason", "interrupted").build();
            } catch (IOException | IllegalArgumentException e) {
                // the next URL, if any
            }
        }
        return Health.down().withDetail("reason", "no schema registry URL answered within " + timeout).build();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
