package dev.cwom.worker.blobs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cwom.json.Digests;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny blob store on 127.0.0.1 that implements the artifact-service contract ({@code PUT /blobs} -> 201
 * {@code {digest, uri, size_bytes, media_type}}; {@code POST /blobs/batch} -> 200 {@code {blobs: [...]}}), with
 * scripted failures for the first requests. Each blob of a batch is one {@link Received}, its header's media type and
 * digest as content type and expected digest.
 */
public final class BlobStoreStub implements AutoCloseable {

    public record Received(String contentType, String expectedDigest, byte[] body, String authorization,
            String traceparent) {
    }

    private final HttpServer server;
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
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

    /** How many requests arrived (a batch is one, whatever it carries). */
    public int requests() {
        return requests.get();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
        boolean batch = exchange.getRequestURI().getPath().equals("/blobs/batch");
        List<Received> parts = batch ? parts(body, authorization, traceparent)
                : List.of(new Received(contentType, exchange.getRequestHeaders().getFirst("X-Expected-Digest"), body,
                        authorization, traceparent));
        received.addAll(parts);
        Integer scripted = failingWith != null ? failingWith : scriptedStatuses.poll();
        if (!(batch ? "POST" : "PUT").equals(exchange.getRequestMethod())) {
            scripted = 405;
        }
        if (scripted != null) {
            respond(exchange, scripted, "{\"title\":\"scripted failure " + scripted + "\"}");
            return;
        }
        List<String> receipts = new ArrayList<>();
        for (Received part : parts) {
            String digest = Digests.sha256(part.body());
            if (batch && !digest.equals(part.expectedDigest())) {
                respond(exchange, 422, "{\"code\":\"DIGEST_MISMATCH\"}");
                return;
            }
            receipts.add(answerOverride != null ? answerOverride
                    : "{\"digest\":\"" + digest + "\",\"uri\":\"/blobs/" + digest + "\",\"size_bytes\":"
                            + part.body().length + ",\"media_type\":\"" + part.contentType() + "\"}");
        }
        respond(exchange, batch ? 200 : 201, batch ? "{\"blobs\":[" + String.join(",", receipts) + "]}"
                : receipts.getFirst());
    }

    /** The parts of a batch body: {@code <digest> <size> <media type>\n} and that many bytes, each. */
    private static List<Received> parts(byte[] body, String authorization, String traceparent) {
        List<Received> parts = new ArrayList<>();
        int at = 0;
        while (at < body.length) {
            int end = at;
            while (body[end] != '\n') {
                end++;
            }
            String[] header = new String(body, at, end - at, StandardCharsets.US_ASCII).split(" ", 3);
            int size = Integer.parseInt(header[1]);
            parts.add(new Received(header[2], header[0], java.util.Arrays.copyOfRange(body, end + 1, end + 1 + size),
                    authorization, traceparent));
            at = end + 1 + size;
        }
        return parts;
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
