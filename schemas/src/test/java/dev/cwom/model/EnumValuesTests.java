package dev.cwom.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnumValuesTests {

    /** The enum table of cwom-model.md, verbatim. */
    static Stream<Arguments> specTable() {
        return Stream.of(
                Arguments.of(Status.class, "planned, ready, running, blocked, done, failed, canceled"),
                Arguments.of(IssueType.class, "feature, bug, chore, research, ops, doc, incident"),
                Arguments.of(Priority.class, "P0, P1, P2, P3, P4"),
                Arguments.of(RunMode.class, "human, agent, hybrid, system"),
                Arguments.of(ArtifactType.class, "code_patch, commit, pr, build, container_image, doc, report, "
                        + "dataset, log, trace, binary, link"),
                Arguments.of(VerificationStatus.class, "unverified, passed, failed"),
                Arguments.of(DoctrineType.class, "principle, policy, procedure, heuristic, pattern"),
                Arguments.of(DoctrinePriority.class, "must, should, may"),
                Arguments.of(Visibility.class, "public, private, internal"),
                Arguments.of(ConstraintScope.class, "personal, repo, org, system, run"),
                Arguments.of(Connectivity.class, "offline, limited, ok"),
                Arguments.of(RiskTolerance.class, "low, medium, high"),
                Arguments.of(FailureCategory.class, "policy, build, test, runtime, dependency, unknown"),
                Arguments.of(ActorKind.class, "human, agent, system"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specTable")
    void enumsWriteAndReadTheSpecsStrings(Class<? extends Enum<?>> type, String specValues) {
        List<String> expected = Arrays.asList(specValues.split(", "));

        List<String> written = Arrays.stream(type.getEnumConstants())
                .map(c -> CwomJson.mapper().writeValueAsString(c))
                .toList();

        assertThat(written).containsExactlyElementsOf(expected.stream().map(v -> "\"" + v + "\"").toList());
        for (Enum<?> constant : type.getEnumConstants()) {
            String json = CwomJson.mapper().writeValueAsString(constant);
            assertThat(CwomJson.mapper().readValue(json, type)).isSameAs(constant);
        }
    }
}
