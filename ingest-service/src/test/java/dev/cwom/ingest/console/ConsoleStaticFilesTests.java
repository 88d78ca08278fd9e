package dev.cwom.ingest.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console's files are served without a token (they hold no data) with a strict Content-Security-Policy and
 * nosniff, the data they show still needs one, and the static route leads nowhere else.
 */
class ConsoleStaticFilesTests extends ConsoleApiTest {

    @ParameterizedTest
    @ValueSource(strings = {"/console/", "/console/index.html", "/console/app.js", "/console/views/run.js",
        "/console/zip.js", "/console/console.css"})
    void filesAreServedWithoutATokenUnderAStrictPolicy(String path) {
        Http.Response response = new Http(port, null).get(path);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Set-Cookie")).as("no session, no cookie").isEmpty();
        String expectedType = path.endsWith(".js") ? "text/javascript" : path.endsWith(".css") ? "text/css"
                : "text/html";
        assertThat(response.contentType()).startsWith(expectedType);
    }

    @Test
    void theBarePathRedirectsToTheConsole() {
        Http.Response response = new Http(port, null).get("/console");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/console/"));
    }

    @Test
    void theIndexHoldsNoDataAndLoadsNothingFromElsewhere() {
        String index = new Http(port, null).get("/console/").body();

        assertThat(index).contains("<label for=\"token\">").contains("type=\"module\" src=\"app.js\"")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script>");
    }

    @Test
    void everyDataCallStillNeedsAToken() {
        Http anonymous = new Http(port, null);
        for (String path : new String[] {"/cwom/issues", "/cwom/intake/rejections",
            "/cwom/artifacts/01J0000000000000000000000A/content"}) {
            problem(anonymous.get(path), 401, "UNAUTHENTICATED");
        }
    }

    /**
     * Sent byte for byte over a socket, so no client library cleans the path first. Whatever the route does with
     * it, nothing outside the console's folder comes back: not the service's configuration, not a class file.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/console/../application.yml", "/console/%2e%2e/application.yml",
        "/console/..%2fapplication.yml", "/console/%2e%2e%2f%2e%2e%2fapplication.yml", "/console/..\\application.yml",
        "/console/%5c..%5capplication.yml", "/console/views/../../application.yml",
        "/console/../dev/cwom/ingest/IngestApplication.class", "/console/..;/application.yml",
        "/console/%252e%252e/application.yml", "/console/file:/etc/passwd", "/console//etc/passwd"})
    void theStaticRouteCannotBeLeft(String path) throws IOException {
        String answer = raw(path);

        String status = answer.substring(0, answer.indexOf("\r\n"));
        assertThat(status).as(answer).doesNotContain(" 200 ");
        assertThat(answer).doesNotContain("datasource").doesNotContain("root:x:0:0").doesNotContain("\u00ca\u00fe\u00ba\u00be");
    }

    private String raw(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
