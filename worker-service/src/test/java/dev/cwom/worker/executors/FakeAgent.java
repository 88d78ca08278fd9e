package dev.cwom.worker.executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * An agent for the http executor: a server on 127.0.0.1 that keeps the work order POSTed to {@link #webhook()} and
 * answers it with {@link #answer}, or first holds the request (without answering) for up to {@link #hang}'s
 * duration. Closing it releases a held request and stops the server.
 */
public final class FakeAgent implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final AtomicReference<String> received = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String answer = "{}";
    private volatile @Nullable Duration hang;

    public FakeAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/agent", this::handle);
        server.start();
    }

    public String webhook() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/agent";
    }

    /** Answers every request with {@code status} and the JSON {@code body}. */
    public FakeAgent answer(int status, String body) {
        this.status = status;
        this.answer = body;
        return this;
    }

    /** Holds every request for up to {@code upTo} (or until closed) before answering it. */
    public FakeAgent hang(Duration upTo) {
        this.hang = upTo;
        return this;
    }

    /** The body of the last request, or null before the first one. */
    public @Nullable String received() {
        return received.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Duration upTo = hang;
        if (upTo != null) {
            try {
                release.await(upTo.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
