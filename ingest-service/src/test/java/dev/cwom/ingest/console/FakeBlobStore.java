package dev.cwom.ingest.console;

import com.sun.net.httpserver.HttpServer;
import dev.cwom.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * artifact-service's blob store as ingest sees it, over real HTTP: {@code GET /blobs/{digest}} answers the body for
 * {@link TestTokens#ALL}, 401 problem+json without credentials and 403 for any other token. It records each request's
 * path and {@code Authorization} header, so tests see what ingest relayed. (The real store's rules are tested in
 * artifact-service; the console's browser test runs against the real one.)
 */
final class FakeBlobStore {

    record Request(String path, String authorization) {
    }

    private static final FakeBlobStore INSTANCE = new FakeBlobStore();

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeBlobStore() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(path, authorization == null ? "" : authorization));
            byte[] body;
            int status;
            String type = "application/problem+json";
            byte[] blob = path.startsWith("/blobs/") ? blobs.get(path.substring("/blobs/".length())) : null;
            if (authorization == null) {
                status = 401;
                body = problem(401, "UNAUTHENTICATED");
            } else if (!authorization.equals("Bearer " + TestTokens.ALL)) {
                status = 403;
                body = problem(403, "INSUFFICIENT_SCOPE");
            } else if (blob == null) {
                status = 404;
                body = problem(404, "NOT_FOUND");
            } else {
                status = 200;
                body = blob;
                type = "text/plain";
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    static FakeBlobStore get() {
        return INSTANCE;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(String digest, byte[] body) {
        blobs.put(digest, body);
    }

    private static byte[] problem(int status, String code) {
        return ("{\"status\": " + status + ", \"title\": \"refused\", \"code\": \"" + code
                + "\", \"detail\": \"the fake store refused it\"}").getBytes(StandardCharsets.UTF_8);
    }
}
