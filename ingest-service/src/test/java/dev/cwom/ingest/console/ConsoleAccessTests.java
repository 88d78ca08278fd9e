package dev.cwom.ingest.console;

import dev.cwom.auth.Scopes;
import dev.cwom.ingest.Http;
import dev.cwom.model.Ids;
import dev.cwom.testing.TestTokens;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The console's two endpoints: 401 without a token, 403 with any scope but {@code cwom.read}. */
class ConsoleAccessTests extends ConsoleApiTest {

    static Stream<String> endpoints() {
        return Stream.of("/cwom/intake/rejections", "/cwom/intake/rejections?limit=5",
                "/cwom/artifacts/" + Ids.newUlid() + "/content");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void refusesAnonymousCallers(String path) {
        problem(new Http(port, null).get(path), 401, "UNAUTHENTICATED");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void needsTheReadScope(String path) {
        problem(new Http(port, TestTokens.NONE).get(path), 403, "INSUFFICIENT_SCOPE");
        Scopes.ALL.stream().filter(scope -> !scope.equals(Scopes.READ)).forEach(scope ->
                problem(new Http(port, TestTokens.withScope(scope)).get(path), 403, "INSUFFICIENT_SCOPE"));
    }
}
