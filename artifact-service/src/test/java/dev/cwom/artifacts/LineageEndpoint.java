package dev.cwom.artifacts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Marquez-like OpenLineage endpoint on 127.0.0.1 ({@code POST /api/v1/lineage}) that records what it accepted and
 * can be told to answer the next requests with an error, as an endpoint that is down or overloaded does.
 */
public final class LineageEndpoint {

    private final HttpServer server;
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private LineageEndpoint(HttpServer server) {
        this.server = server;
    }

    static LineageEndpoint start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LineageEndpoint endpoint = new LineageEndpoint(server);
            server.createContext("/api/v1/lineage", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean fail = endpoint.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                if (fail) {
                    endpoint.refused.incrementAndGet();
                } else {
                    endpoint.accepted.add(body);
                }
                exchange.sendResponseHeaders(fail ? 503 : 201, -1);
                exchange.close();
            });
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The bodies accepted so far. */
    public List<String> accepted() {
        return List.copyOf(accepted);
    }

    /** Answers the next {@code count} requests with 503. */
    public void failNext(int count) {
        failNext.set(count);
    }

    /** How many requests were answered with an error. */
    public int refused() {
        return refused.get();
    }
}
