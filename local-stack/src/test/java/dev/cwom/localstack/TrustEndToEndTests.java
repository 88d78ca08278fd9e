package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The attack of issue 14 against the running stack, as a stranger and then as a submitter with the stack's default
 * policy: a ConstraintSnapshot allowing {@code sh}, an ops Issue under it, a ContextPacket whose command reads the
 * worker's environment, and the Issue made ready. Nothing of it may run; every refusal is problem+json with a code.
 */
class TrustEndToEndTests {

    @Test
    void aStrangerCanNeitherReadNorSubmit() {
        LocalStack stack = SharedStack.get();
        try (StackClient client = StackClient.of(stack)) {
            for (String[] call : new String[][] {{"GET", "/cwom/issues"}, {"POST", "/cwom/constraint-snapshots"},
                {"GET", "/tasks"}}) {
                HttpResponse<String> response = client.call(call[0], call[1], call[0].equals("POST") ? "{}" : null,
                        null);

                assertThat(response.statusCode()).as("%s %s", call[0], call[1]).isEqualTo(401);
                assertThat(code(response)).isEqualTo("UNAUTHENTICATED");
            }
            HttpResponse<String> reader = client.call("POST", "/cwom/constraint-snapshots", "{}",
                    stack.credentials().read());
            assertThat(reader.statusCode()).isEqualTo(403);
            assertThat(code(reader)).isEqualTo("INSUFFICIENT_SCOPE");
        }
    }

    @Test
    void aSubmitterAskingForAShellIsRefusedByTheDefaultPolicyAndNothingRuns() {
        LocalStack stack = SharedStack.get();
        String submit = stack.credentials().submit();
        try (StackClient client = StackClient.of(stack)) {
            String snapshot = id(client.call("POST", "/cwom/constraint-snapshots", """
                    {"scope": "run", "constraints": {"tools": {"allowed": ["sh"]}}}""", submit));
            String repo = id(client.call("POST", "/cwom/repos", """
                    {"name": "Trust", "slug": "e2e/trust-%s"}""".formatted(Ids.newUlid().toLowerCase()), submit));
            String issue = id(client.call("POST", "/cwom/issues", """
                    {"repo": {"kind": "Repo", "id": "%s"}, "title": "Read the worker", "type": "ops",
                     "status": "planned", "constraints": {"kind": "ConstraintSnapshot", "id": "%s"}}"""
                    .formatted(repo, snapshot), submit));
            HttpResponse<String> packet = client.call("POST", "/cwom/context-packets", """
                    {"for_issue": {"kind": "Issue", "id": "%s"}, "version": "1", "summary": "env",
                     "meta": {"commands": [["sh", "-c", "id; tr '\\\\0' '\\\\n' </proc/$PPID/environ | grep -c ."]]}}"""
                    .formatted(issue), submit);
            HttpResponse<String> ready = client.call("PATCH", "/cwom/issues/" + issue + "/status",
                    "{\"status\": \"ready\"}", submit);

            // Refused where the request is complete enough to judge: the packet names the Issue, or the Issue
            // becomes ready; either way with the policy's code and nothing dispatched.
            HttpResponse<String> refused = packet.statusCode() == 422 ? packet : ready;
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.body()).contains("POLICY_TOOL_FORBIDDEN").contains("'sh'");
            String read = stack.credentials().read();
            if (refused == packet) {
                // the command never got in: the Issue has no packet, whatever its status
                JsonNode packets = CwomJson.mapper().readTree(client.call("GET", "/cwom/issues/" + issue
                        + "/context-packets", null, read).body());
                assertThat(packets.path("items").size()).as(packets.toString()).isZero();
            } else {
                JsonNode stored = CwomJson.mapper().readTree(client.call("GET", "/cwom/issues/" + issue, null,
                        read).body());
                assertThat(stored.path("issue").path("status").asString()).isEqualTo("planned");
                assertThat(stored.path("runs").size()).isZero();
            }
        }
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return CwomJson.mapper().readTree(response.body()).path("id").asString();
    }

    private static String code(HttpResponse<String> response) {
        return CwomJson.mapper().readTree(response.body()).path("code").asString();
    }
}
