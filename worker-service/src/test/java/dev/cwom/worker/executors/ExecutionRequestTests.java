package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.model.FailureCategory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionRequestTests {

    private final TestWorkOrder order = new TestWorkOrder().minutes(2);

    @Test
    void parsesEveryInputAndKeepsItsPinnedReference() {
        ExecutionRequest request = ExecutionRequest.of("01KRUN", order.inputs(), Path.of("/tmp/w"));

        assertThat(request.issue().value().title()).isEqualTo("Make it work");
        assertThat(request.repo().value().slug()).isEqualTo("acme/app");
        assertThat(request.contextPackets()).singleElement().satisfies(p -> assertThat(p.ref().version()).isEqualTo("1.2"));
        assertThat(request.constraints()).isNotNull();
        assertThat(request.limits().time().availableMinutes()).isEqualTo(2.0);
        assertThat(request.pinnedRefs()).extracting(r -> r.kind())
                .containsExactly("Issue", "Repo", "ContextPacket", "ConstraintSnapshot", "DoctrineRef");
        assertThat(request.pinnedRefs()).extracting(r -> r.digest())
                .containsExactlyElementsOf(order.inputs().stream().map(PinnedInput::digest).toList());
    }

    @Test
    void refusesContentThatDoesNotMatchItsDigest() {
        List<PinnedInput> inputs = new ArrayList<>(order.inputs());
        PinnedInput packet = inputs.get(2);
        inputs.set(2, new PinnedInput(packet.kind(), packet.id(), packet.version(), packet.digest(),
                packet.canonicalJson().replace("1.2", "1.3")));

        assertThatThrownBy(() -> ExecutionRequest.of("01KRUN", inputs, Path.of("/tmp/w")))
                .isInstanceOfSatisfying(InvalidPinnedInputException.class,
                        e -> assertThat(e.category()).isEqualTo(FailureCategory.POLICY))
                .hasMessageContaining(order.packetId).hasMessageContaining("does not match its pinned digest")
                .hasMessageContaining(packet.digest());
    }

    @Test
    void refusesAWorkOrderWithoutItsRepo() {
        List<PinnedInput> inputs = order.inputs().stream().filter(i -> !i.kind().equals("Repo")).toList();

        assertThatThrownBy(() -> ExecutionRequest.of("01KRUN", inputs, Path.of("/tmp/w")))
                .isInstanceOf(InvalidPinnedInputException.class).hasMessageContaining("lacks its Repo");
    }

    @Test
    void refusesAnInputListedUnderAnotherId() {
        List<PinnedInput> inputs = new ArrayList<>(order.inputs());
        PinnedInput issue = inputs.getFirst();
        inputs.set(0, new PinnedInput("Issue", order.repoId, null, issue.digest(), issue.canonicalJson()));

        assertThatThrownBy(() -> ExecutionRequest.of("01KRUN", inputs, Path.of("/tmp/w")))
                .isInstanceOf(InvalidPinnedInputException.class).hasMessageContaining("under its own id");
    }

    @Test
    void refusesAnInputThatBreaksTheModelsRulesThoughItsDigestMatches() {
        List<PinnedInput> inputs = new ArrayList<>(order.inputs());
        inputs.set(0, TestWorkOrder.input("Issue", order.issueId, null, Map.of("id", order.issueId,
                "repo", Map.of("kind", "Repo", "id", order.repoId), "title", "No type")));

        assertThatThrownBy(() -> ExecutionRequest.of("01KRUN", inputs, Path.of("/tmp/w")))
                .isInstanceOfSatisfying(InvalidPinnedInputException.class,
                        e -> assertThat(e.category()).isEqualTo(FailureCategory.POLICY))
                .hasMessageContaining("Issue " + order.issueId + " is not a valid Issue")
                .hasMessageContaining("$.type");
    }
}
