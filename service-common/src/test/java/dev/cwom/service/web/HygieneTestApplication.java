package dev.cwom.service.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** A service with the hygiene auto-configured, as the real services have it, and endpoints to aim at. */
@SpringBootApplication
class HygieneTestApplication {

    @RestController
    static class Endpoints {

        @PostMapping("/echo")
        JsonNode echo(@RequestBody JsonNode body) {
            return body;
        }

        /** Streams its body like artifact-service's blob upload, excluded from the limit by configuration. */
        @PostMapping("/stream/{name}")
        Map<String, Long> stream(@PathVariable String name, InputStream body) throws IOException {
            return Map.of("bytes", body.transferTo(OutputStreamSink.INSTANCE));
        }

        @GetMapping("/items")
        Map<String, String> items(@RequestParam(required = false) String cursor) {
            return Map.of("cursor", String.valueOf(cursor));
        }

        @GetMapping("/items/{id}")
        Map<String, String> item(@PathVariable String id) {
            return Map.of("id", id);
        }
    }

    /** Counts and forgets. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
