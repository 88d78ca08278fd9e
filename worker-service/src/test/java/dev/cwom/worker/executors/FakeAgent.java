package dev.cwom.worker.executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * An agent for the http executor: a server on 127.0.0.1 that keeps the work order POSTed to {@link #webhook()} and
 * answers it with {@link #answer}, or first holds the request (without answering) for up to {@link #hang}'s
 * duration; or answers with a redirect ({@link #redirect}), drips its answer ({@link #drip}) or streams a body without
 * end ({@link #endless}), noting when the worker stopped reading ({@link #hungUpOn}). Closing it releases a held
 * request and stops the server.
 */
public final class FakeAgent implements AutoCloseable {

    private enum Mode { ANSWER, REDIRECT, DRIP, ENDLESS }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final AtomicReference<String> received = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch hungUp = new CountDownLatch(1);
    private volatile Mode mode = Mode.ANSWER;
    private volatile int status = 200;
    private volatile String answer = "{}";
    private volatile @Nullable Duration hang;
    private volatile Duration perByte = Duration.ZERO;

    public FakeAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/agent", this::handle);
        server.start();
    }

    public String webhook() {
        return "http://127.0.0.1:" + port() + "/agent";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers every request with {@code status} and the JSON {@code body}. */
    public FakeAgent answer(int status, String body) {
        this.mode = Mode.ANSWER;
        this.status = status;
        this.answer = body;
        return this;
    }

    /** Holds every request for up to {@code upTo} (or until closed) before answering it. */
    public FakeAgent hang(Duration upTo) {
        this.hang = upTo;
        return this;
    }

    /** Answers every request with {@code status} and {@code Location: location}. */
    public FakeAgent redirect(int status, String location) {
        this.mode = Mode.REDIRECT;
        this.status = status;
        this.answer = location;
        return this;
    }

    /** Answers 200 with {@code body}, one byte every {@code perByte}. */
    public FakeAgent drip(String body, Duration perByte) {
        this.mode = Mode.DRIP;
        this.status = 200;
        this.answer = body;
        this.perByte = perByte;
        return this;
    }

    /** Answers {@code status} with a body that never ends: 64 KiB chunks until the worker hangs up. */
    public FakeAgent endless(int status) {
        this.mode = Mode.ENDLESS;
        this.status = status;
        return this;
    }

    /** The body of the last request, or null before the first one. */
    public @Nullable String received() {
        return received.get();
    }

    /** How many requests arrived. */
    public int requests() {
        return requests.get();
    }

    /** How many body bytes the agent managed to send. */
    public long sent() {
        return sent.get();
    }

    /** Whether the worker closed the connection while the agent was still sending, within {@code wait}. */
    public boolean hungUpOn(Duration wait) throws InterruptedException {
        return hungUp.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Duration upTo = hang;
        if (upTo != null) {
            pause(upTo);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try (OutputStream out = exchange.getResponseBody()) {
            switch (mode) {
                case REDIRECT -> {
                    exchange.getResponseHeaders().add("Location", answer);
                    exchange.sendResponseHeaders(status, -1);
                }
                case DRIP -> {
                    exchange.sendResponseHeaders(status, 0);
                    for (byte b : answer.getBytes(StandardCharsets.UTF_8)) {
                        out.write(b);
                        out.flush();
                        sent.incrementAndGet();
                        pause(perByte);
                    }
                }
                case ENDLESS -> {
                    exchange.sendResponseHeaders(status, 0);
                    byte[] chunk = new byte[64 * 1024];
                    Arrays.fill(chunk, (byte) 'x');
                    while (release.getCount() > 0) {
                        out.write(chunk);
                        out.flush();
                        sent.addAndGet(chunk.length);
                    }
                }
                case ANSWER -> {
                    byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, body.length);
                    out.write(body);
                }
            }
        } catch (IOException e) {
            hungUp.countDown(); // the worker closed the connection while the answer was being sent
        } finally {
            exchange.close();
        }
    }

    private void pause(Duration duration) {
        try {
            release.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
