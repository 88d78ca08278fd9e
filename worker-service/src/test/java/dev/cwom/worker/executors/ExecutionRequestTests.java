package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.model.DoctrineRef;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
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

    @Test
    void anInputPinnedAgainIsTakenFromWhatWasVerifiedNotReadAgain() {
        VerifiedInputs verified = VerifiedInputs.bounded();
        ExecutionRequest first = ExecutionRequest.of("01KRUN1", order.inputs(), Path.of("/tmp/w"), verified);

        ExecutionRequest second = ExecutionRequest.of("01KRUN2", order.inputs(), Path.of("/tmp/w"), verified);

        assertThat(second.repo().value()).isSameAs(first.repo().value());
        assertThat(second.issue().value()).isSameAs(first.issue().value());
        assertThat(verified.size()).isEqualTo(order.inputs().size());
    }

    @Test
    void aForgedInputIsRefusedThoughTheDigestItClaimsWasVerifiedBefore() {
        VerifiedInputs verified = VerifiedInputs.bounded();
        ExecutionRequest.of("01KRUN1", order.inputs(), Path.of("/tmp/w"), verified);
        List<PinnedInput> replayed = new ArrayList<>(order.inputs());
        PinnedInput repo = replayed.get(1);
        // the digest of the Repo verified above, with other content: a replay of the digest, not of the bytes
        replayed.set(1, new PinnedInput(repo.kind(), repo.id(), repo.version(), repo.digest(),
                repo.canonicalJson().replace("acme/app", "evil/app")));

        assertThatThrownBy(() -> ExecutionRequest.of("01KRUN2", replayed, Path.of("/tmp/w"), verified))
                .isInstanceOf(InvalidPinnedInputException.class)
                .hasMessageContaining("Repo " + order.repoId + " does not match its pinned digest");
    }

    @Test
    void anInvalidInputIsNotKeptAndIsRefusedEveryTime() {
        VerifiedInputs verified = VerifiedInputs.bounded();
        List<PinnedInput> inputs = new ArrayList<>(order.inputs());
        inputs.set(0, TestWorkOrder.input("Issue", order.issueId, null, Map.of("id", order.issueId,
                "repo", Map.of("kind", "Repo", "id", order.repoId), "title", "No type")));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> ExecutionRequest.of("01KRUN", inputs, Path.of("/tmp/w"), verified))
                    .isInstanceOf(InvalidPinnedInputException.class).hasMessageContaining("$.type");
        }
        assertThat(verified.size()).isZero();
    }

    @Test
    void whatIsKeptIsBoundedLeastRecentlyUsedFirstOut() {
        VerifiedInputs verified = new VerifiedInputs(3, 1_000_000);
        ExecutionRequest kept = ExecutionRequest.of("01KRUN1", order.inputs(), Path.of("/tmp/w"), verified);

        assertThat(verified.size()).isEqualTo(3);
        assertThat(verified.find(Issue.class, kept.issue().ref().digest())).as("read first, out first").isNull();
        assertThat(verified.find(DoctrineRef.class, kept.doctrineRefs().getFirst().ref().digest()))
                .as("read last, kept").isSameAs(kept.doctrineRefs().getFirst().value());
        assertThat(verified.find(Repo.class, kept.doctrineRefs().getFirst().ref().digest()))
                .as("kept as the kind it was read as only").isNull();
    }

    @Test
    void anObjectLargerThanAQuarterOfTheBoundIsNotKept() {
        VerifiedInputs verified = new VerifiedInputs(100, 40);

        ExecutionRequest.of("01KRUN1", order.inputs(), Path.of("/tmp/w"), verified);

        assertThat(verified.size()).isZero();
    }
}
