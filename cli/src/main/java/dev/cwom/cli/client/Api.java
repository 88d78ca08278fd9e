package dev.cwom.cli.client;

import dev.cwom.json.CwomJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST client of the CLI: ingest-service's {@code /cwom} API as JSON trees, and bodies (artifact blobs) as
 * streams. Every error answer becomes an {@link ApiProblem}; an unreachable service a {@link CliException} with
 * {@link ExitCodes#UNAVAILABLE}. The token is sent to the API's origin and to the blobs origin only, never to an
 * artifact URI elsewhere.
 */
public final class Api {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final @Nullable String token;
    private final @Nullable URI blobsBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public Api(URI base, @Nullable String token, @Nullable URI blobsBase) {
        this.base = base;
        this.token = token;
        this.blobsBase = blobsBase;
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path) {
        return json("GET", path, null);
    }

    public JsonNode post(String path, JsonNode body) {
        return json("POST", path, body);
    }

    public JsonNode patch(String path, JsonNode body) {
        return json("PATCH", path, body);
    }

    /** The answer's status and body, so that a caller can tell a 404 from an object without catching. */
    public Answer tryGet(String path) {
        HttpResponse<String> response = send(request(base.resolve(base.getPath() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), parse(response));
    }

    /** A body at {@code uri} (absolute, or a path on the API), streamed; error answers are thrown. */
    public HttpResponse<InputStream> download(String uri) {
        URI target = URI.create(uri);
        if (!target.isAbsolute()) {
            target = base.resolve(uri);
        }
        HttpResponse<InputStream> response = send(request(target).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            throw new ApiProblem(response.statusCode(), problemOf(response.statusCode(), text,
                    response.headers().firstValue("Content-Type").orElse("")));
        }
        return response;
    }

    /** {@code path} with the non-null {@code query} parameters, URL-encoded. */
    public static String withQuery(String path, Map<String, ?> query) {
        StringJoiner joined = new StringJoiner("&");
        query.forEach((name, value) -> {
            if (value != null) {
                joined.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return joined.length() == 0 ? path : path + (path.contains("?") ? "&" : "?") + joined;
    }

    /** A path segment (an id as the user typed it), encoded so it cannot change the path. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode json(String method, String path, @Nullable JsonNode body) {
        HttpRequest.Builder request = request(base.resolve(base.getPath() + path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(CwomJson.mapper().writeValueAsString(body)));
        }
        HttpResponse<String> response = send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = parse(response);
        if (response.statusCode() >= 300) {
            throw new ApiProblem(response.statusCode(), parsed);
        }
        return parsed;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json, */*");
        if (token != null && (sameOrigin(uri, base) || (blobsBase != null && sameOrigin(uri, blobsBase)))) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "No answer from " + request.uri() + " within "
                    + request.timeout().orElse(REQUEST_TIMEOUT).toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Cannot connect to " + request.uri().resolve("/")
                    + " (is the service up? see --url, the profile, cwom login)", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Request to " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "Interrupted", e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        return response.statusCode() >= 300
                ? problemOf(response.statusCode(), response.body(),
                        response.headers().firstValue("Content-Type").orElse(""))
                : readJson(response.body());
    }

    private static JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return CwomJson.mapper().createObjectNode();
        }
        return CwomJson.mapper().readTree(text);
    }

    /** The problem+json body, or one made up from the status when a proxy or server answered something else. */
    private static JsonNode problemOf(int status, String text, String contentType) {
        if (contentType.contains("json")) {
            try {
                JsonNode node = CwomJson.mapper().readTree(text);
                if (node.isObject()) {
                    return node;
                }
            } catch (JacksonException notJson) {
                // fall through to the stand-in below
            }
        }
        ObjectNode made = CwomJson.mapper().createObjectNode();
        made.put("status", status);
        made.put("title", "HTTP " + status);
        made.put("detail", text == null ? "" : text.strip().lines().limit(5).reduce((a, b) -> a + " " + b)
                .orElse(""));
        return made;
    }

    /** A status with its JSON body (a problem for errors). */
    public record Answer(int status, JsonNode body) {
    }
}
