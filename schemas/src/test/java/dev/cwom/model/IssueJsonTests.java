package dev.cwom.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.json.CwomJson;
import org.junit.jupiter.api.Test;

class IssueJsonTests {

    @Test
    void readsSpecJsonWithDefaultsAndWritesItBackInSnakeCase() {
        String json = """
                {"repo": {"kind": "Repo", "id": "01JJ8Z5K4T3W6X7Y8Z9ABCDEFG"}, "title": "Add login",
                 "type": "feature", "acceptance": {"criteria": ["users can log in"], "tests_expected": ["login_test"]},
                 "relationships": {"blocked_by": [{"kind": "Issue", "id": "01JJ8Z5K4T3W6X7Y8Z9ABCDEFH"}]}}
                """;

        Issue issue = CwomJson.mapper().readValue(json, Issue.class);

        assertThat(issue.kind()).isEqualTo("Issue");
        assertThat(issue.priority()).isEqualTo(Priority.P2);
        assertThat(issue.status()).isEqualTo(Status.PLANNED);
        assertThat(issue.acceptance().testsExpected()).containsExactly("login_test");
        String written = CwomJson.mapper().writeValueAsString(issue);
        assertThat(written).contains("\"tests_expected\":[\"login_test\"]", "\"blocked_by\":[", "\"priority\":\"P2\"",
                "\"type\":\"feature\"", "\"status\":\"planned\"").doesNotContain("\"id\":null");
        assertThat(CwomJson.mapper().readValue(written, Issue.class)).isEqualTo(issue);
    }

    @Test
    void energyScoreKeepsTheSpecsFieldName() {
        var energy = new ConstraintSnapshot.Energy(3, null);

        assertThat(CwomJson.mapper().writeValueAsString(energy)).isEqualTo("{\"score_0_5\":3}");
    }

    @Test
    void refusesAnUnknownEnumValueNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> CwomJson.mapper().readValue("\"urgent\"", Priority.class))
                .hasMessageContaining("P0, P1, P2, P3, P4");
    }
}
