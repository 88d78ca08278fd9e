package dev.cwom.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cwom.json.CwomJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The agent behind the demo's {@code http} issue: a webhook on 127.0.0.1 that the worker's http executor POSTs the
 * pinned work order to. It answers as an agent would (summary, a report artifact, its decisions, its cost), and the
 * report quotes the digests it was handed, so the trace shows the agent worked from exactly the pinned inputs.
 */
final class DemoAgent implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger answered = new AtomicInteger();

    private DemoAgent(HttpServer server) {
        this.server = server;
    }

    /** Starts the webhook on a free loopback port. */
    static DemoAgent start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            DemoAgent agent = new DemoAgent(server);
            server.createContext("/agent", agent::handle);
            server.start();
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException("The demo agent could not listen on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** The webhook URL to put in an Issue's {@code meta.webhook_url}. */
    String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/agent";
    }

    /** How many work orders the agent has answered. */
    int answered() {
        return answered.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, Map.of("error", "POST a work order to this webhook"));
                return;
            }
            JsonNode order;
            try (InputStream body = exchange.getRequestBody()) {
                order = CwomJson.mapper().readTree(body);
            } catch (JacksonException e) {
                reply(exchange, 400, Map.of("error", "the work order is not JSON: " + e.getOriginalMessage()));
                return;
            }
            reply(exchange, 200, answer(order));
            answered.incrementAndGet();
        }
    }

    private static Map<String, Object> answer(JsonNode order) {
        String title = order.path("issue").path("title").asString("");
        List<String> pinned = new ArrayList<>();
        for (JsonNode ref : order.path("pinned")) {
            pinned.add(ref.path("kind").asString() + " " + ref.path("id").asString() + " "
                    + ref.path("digest").asString(""));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("issue", title);
        report.put("run_id", order.path("run_id").asString(""));
        report.put("pinned_inputs_seen", pinned);
        report.put("finding", "Failed runs last week by category: 9 dependency, 4 test, 3 policy.");
        return Map.of(
                "summary", "Read the pinned inputs of '" + title + "' and wrote a report",
                "artifacts", List.of(Map.of("title", "Agent report", "type", "report", "content", report)),
                "decision_log", List.of("read " + pinned.size() + " pinned inputs", "grouped failures by category"),
                "cost", Map.of("usd", 0.002, "tokens", 850));
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = CwomJson.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
