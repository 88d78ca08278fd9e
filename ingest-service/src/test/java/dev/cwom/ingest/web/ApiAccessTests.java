package dev.cwom.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.auth.Scopes;
import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import dev.cwom.testing.TestTokens;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of ingest, tried as an attacker would: without credentials (401), with a token of every other
 * scope (403 naming the scope), and with the right scope (let through to the endpoint). Health probes stay open.
 */
class ApiAccessTests extends IngestApiTest {

    record Endpoint(String method, String path, String scope) {
        @Override
        public String toString() {
            return method + " " + path + " needs " + scope;
        }
    }

    static Stream<Endpoint> endpoints() {
        String id = Ids.newUlid();
        return Stream.of(
                new Endpoint("GET", "/cwom/repos", Scopes.READ),
                new Endpoint("GET", "/cwom/repos/" + id, Scopes.READ),
                new Endpoint("POST", "/cwom/repos", Scopes.SUBMIT),
                new Endpoint("GET", "/cwom/issues", Scopes.READ),
                new Endpoint("GET", "/cwom/issues/" + id, Scopes.READ),
                new Endpoint("POST", "/cwom/issues", Scopes.SUBMIT),
                new Endpoint("PATCH", "/cwom/issues/" + id + "/status", Scopes.SUBMIT),
                new Endpoint("GET", "/cwom/constraint-snapshots", Scopes.READ),
                new Endpoint("GET", "/cwom/constraint-snapshots/" + id, Scopes.READ),
                new Endpoint("POST", "/cwom/constraint-snapshots", Scopes.SUBMIT),
                new Endpoint("PUT", "/cwom/constraint-snapshots/" + id, Scopes.SUBMIT),
                new Endpoint("GET", "/cwom/doctrine-refs", Scopes.READ),
                new Endpoint("POST", "/cwom/doctrine-refs", Scopes.SUBMIT),
                new Endpoint("POST", "/cwom/context-packets", Scopes.SUBMIT),
                new Endpoint("GET", "/cwom/context-packets/" + id, Scopes.READ),
                new Endpoint("GET", "/cwom/issues/" + id + "/context-packets", Scopes.READ),
                new Endpoint("POST", "/cwom/runs", Scopes.REPORT),
                new Endpoint("PATCH", "/cwom/runs/" + id, Scopes.REPORT),
                new Endpoint("GET", "/cwom/runs", Scopes.READ),
                new Endpoint("GET", "/cwom/runs/" + id, Scopes.READ),
                new Endpoint("POST", "/cwom/artifacts", Scopes.REPORT),
                new Endpoint("GET", "/cwom/artifacts/" + id, Scopes.READ),
                new Endpoint("GET", "/cwom/runs/" + id + "/artifacts", Scopes.READ),
                new Endpoint("GET", "/cwom/issues/" + id + "/artifacts", Scopes.READ),
                new Endpoint("POST", "/tasks/enqueue", Scopes.SUBMIT),
                new Endpoint("GET", "/tasks", Scopes.READ),
                new Endpoint("GET", "/tasks/" + id, Scopes.READ),
                new Endpoint("GET", "/v3/api-docs", Scopes.READ),
                new Endpoint("GET", "/cwom/admin/policy", Scopes.ADMIN),
                new Endpoint("PUT", "/cwom/admin/policy", Scopes.ADMIN),
                new Endpoint("GET", "/actuator/info", Scopes.ADMIN),
                new Endpoint("GET", "/no-such-endpoint", Scopes.ADMIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void refusesAnonymousCallers(Endpoint endpoint) {
        Http.Response response = new Http(port, null).send(endpoint.method(), endpoint.path(), "application/json", "{}");

        problem(response, 401, "UNAUTHENTICATED");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void forbidsEveryOtherScope(Endpoint endpoint) {
        List<String> wrongTokens = Stream.concat(Stream.of(TestTokens.NONE), Scopes.ALL.stream()
                .filter(scope -> !scope.equals(endpoint.scope())).map(TestTokens::withScope)).toList();
        for (String token : wrongTokens) {
            Http.Response response = new Http(port, token).send(endpoint.method(), endpoint.path(),
                    "application/json", "{}");

            assertThat(problem(response, 403, "INSUFFICIENT_SCOPE").path("required_scope").asString())
                    .isEqualTo(endpoint.scope());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void letsTheRightScopeThrough(Endpoint endpoint) {
        Http.Response response = new Http(port, TestTokens.withScope(endpoint.scope())).send(endpoint.method(),
                endpoint.path(), "application/json", "{}");

        assertThat(response.status()).as(response.toString()).isNotIn(401, 403);
    }

    @Test
    void keepsHealthProbesOpen() {
        Http anonymous = new Http(port, null);

        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    void storesNothingForAForbiddenSubmission() {
        String slug = uniqueSlug("acme/forbidden");
        Http.Response response = new Http(port, TestTokens.withScope(Scopes.READ)).post("/cwom/repos", """
                {"name": "Forbidden", "slug": "%s"}""".formatted(slug));

        problem(response, 403, "INSUFFICIENT_SCOPE");
        assertThat(jdbc.sql("select count(*) from cwom_repos where slug = ?").param(slug).query(Long.class).single())
                .isZero();
    }
}
