package dev.cwom.worker.blobs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cwom.json.Digests;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny blob store on 127.0.0.1 that implements the artifact-service contract ({@code PUT /blobs} -> 201
 * {@code {digest, uri, size_bytes, media_type}}), with scripted failures for the first requests.
 */
public final class BlobStoreStub implements AutoCloseable {

    public record Received(String contentType, String expectedDigest, byte[] body, String authorization,
            String traceparent) {
    }

    private final HttpServer server;
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile String answerOverride;
    private volatile Integer failingWith;

    public BlobStoreStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/blobs", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next requests are answered with these statuses (and an error body) before the contract applies. */
    public void failNext(Integer... statuses) {
        scriptedStatuses.addAll(List.of(statuses));
    }

    /** Every request is answered with {@code status} (and an error body) until this is called with null. */
    public void failAllWith(Integer status) {
        failingWith = status;
    }

    /** Every successful answer has this body instead of the contract's. */
    public void answerWith(String body) {
        answerOverride = body;
    }

    public List<Received> received() {
        return received;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        received.add(new Received(contentType, exchange.getRequestHeaders().getFirst("X-Expected-Digest"), body,
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("traceparent")));
        Integer scripted = failingWith != null ? failingWith : scriptedStatuses.poll();
        if (!"PUT".equals(exchange.getRequestMethod())) {
            scripted = 405;
        }
        if (scripted != null) {
            respond(exchange, scripted, "{\"title\":\"scripted failure " + scripted + "\"}");
            return;
        }
        String digest = Digests.sha256(body);
        respond(exchange, 201, answerOverride != null ? answerOverride
                : "{\"digest\":\"" + digest + "\",\"uri\":\"/blobs/" + digest + "\",\"size_bytes\":" + body.length
                        + ",\"media_type\":\"" + contentType + "\"}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
