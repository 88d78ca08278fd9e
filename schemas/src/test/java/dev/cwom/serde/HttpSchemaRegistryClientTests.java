package dev.cwom.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cwom.events.RunEvent;
import dev.cwom.registry.SchemaRegistryServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP client against the project's registry server (in memory: the protocol is what is tested here). */
class HttpSchemaRegistryClientTests {

    private SchemaRegistryServer server;

    @BeforeEach
    void start() {
        server = new SchemaRegistryServer(SchemaRegistryServer.Settings.defaults());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersLooksUpAndFetchesThroughTheRestProtocol() {
        SchemaRegistryClient client = client(server.url());

        int id = client.register("cwom.runs.v1-value", RunEvent.getClassSchema());

        assertThat(client.lookupId("cwom.runs.v1-value", RunEvent.getClassSchema())).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(RunEvent.getClassSchema());
        assertThat(client.latest("cwom.runs.v1-value").id()).isEqualTo(id);
        assertThatThrownBy(() -> client.schemaById(id + 100))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.httpStatus()).isEqualTo(404);
                });
    }

    @Test
    void failsOverToTheNextUrlWhenOneIsDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryClient client = client("http://127.0.0.1:" + closedPort + "," + server.url());

        assertThat(client.register("probe-value", RunEvent.getClassSchema())).isPositive();
    }

    @Test
    void sendsBasicAuthFromUserInfoAndTreats5xxAsUnavailable() throws Exception {
        AtomicReference<String> authorization = new AtomicReference<>();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"error_code\":50001,\"message\":\"store down\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        try {
            SchemaRegistryClient client = SchemaRegistryClients.create(AvroSerdeConfig.from(Map.of(
                    AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + stub.getAddress().getPort(),
                    AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                    AvroSerdeConfig.BASIC_AUTH_USER_INFO, "svc:s3cret")));

            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("store down");
            assertThat(authorization.get()).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("svc:s3cret".getBytes(StandardCharsets.UTF_8)));
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void aCallMadeInATraceCarriesItsTraceparentAndOneOutsideAnyTraceNone() throws Exception {
        List<String> traceparents = new CopyOnWriteArrayList<>();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            traceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            byte[] body = "{\"error_code\":40403,\"message\":\"Schema not found\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        try {
            SchemaRegistryClient client = client("http://127.0.0.1:" + stub.getAddress().getPort());
            SpanContext record = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                    TraceFlags.getSampled(), TraceState.getDefault());

            try (Scope ignored = Context.current().with(Span.wrap(record)).makeCurrent()) {
                assertThatThrownBy(() -> client.schemaById(7)).isInstanceOf(SchemaRegistryException.class);
            }
            assertThatThrownBy(() -> client.schemaById(8)).isInstanceOf(SchemaRegistryException.class);

            assertThat(traceparents).containsExactly("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                    "null");
        } finally {
            stub.stop(0);
        }
    }

    private static SchemaRegistryClient client(String urls) {
        return SchemaRegistryClients.create(AvroSerdeConfig.from(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, urls)));
    }
}
