package dev.cwom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.model.Issue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestsTests {

    private static final String ISSUE = """
            {"id": "01JJ8Z5K4T3W6X7Y8Z9ABCDEFG", "kind": "Issue",
             "repo": {"kind": "Repo", "id": "01JJ8Z5K4T3W6X7Y8Z9ABCDEFH"}, "title": "Add login", "type": "feature",
             "acceptance": {"criteria": ["users can log in"], "tests_expected": []}, "tags": [],
             "created_at": "2026-01-25T10:15:30.123Z"}
            """;

    /** The same content: fields shuffled, other whitespace, empty lists left out, defaults spelt out. */
    private static final String SAME_ISSUE_REORDERED = """
            {
                "created_at" : "2026-01-25T10:15:30.123000Z",
                "type" : "feature",
                "priority" : "P2",
                "acceptance" : { "tests_expected" : [ ], "criteria" : [ "users can log in" ] },
                "title" : "Add login",
                "repo" : { "id" : "01JJ8Z5K4T3W6X7Y8Z9ABCDEFH", "kind" : "Repo" },
                "id" : "01JJ8Z5K4T3W6X7Y8Z9ABCDEFG"
            }
            """;

    @Test
    void sameObjectGivesTheSameDigestWhateverFieldOrderWhitespaceOrAbsentListsItArrivedWith() {
        Issue one = CwomJson.mapper().readValue(ISSUE, Issue.class);
        Issue two = CwomJson.mapper().readValue(SAME_ISSUE_REORDERED, Issue.class);

        assertThat(Digests.sha256(one)).isEqualTo(Digests.sha256(two)).matches("sha256:[0-9a-f]{64}");
        assertThat(CanonicalJson.write(one)).isEqualTo(CanonicalJson.write(two));
    }

    @Test
    void digestIsStableAcrossAWriteAndReadRoundTrip() {
        Issue issue = CwomJson.mapper().readValue(ISSUE, Issue.class);
        Issue back = CwomJson.mapper().readValue(CanonicalJson.write(issue), Issue.class);

        assertThat(back).isEqualTo(issue);
        assertThat(Digests.sha256(back)).isEqualTo(Digests.sha256(issue));
    }

    @Test
    void differentContentGivesADifferentDigest() {
        Issue issue = CwomJson.mapper().readValue(ISSUE, Issue.class);
        Issue retitled = CwomJson.mapper().readValue(ISSUE.replace("Add login", "Add logout"), Issue.class);
        Issue oneMoreCriterion = CwomJson.mapper().readValue(
                ISSUE.replace("[\"users can log in\"]", "[\"users can log in\", \"and out\"]"), Issue.class);

        assertThat(Digests.sha256(retitled)).isNotEqualTo(Digests.sha256(issue));
        assertThat(Digests.sha256(oneMoreCriterion)).isNotEqualTo(Digests.sha256(issue));
    }

    @Test
    void digestOfAnObjectIsTheDigestOfItsCanonicalJsonBytes() {
        Issue issue = CwomJson.mapper().readValue(ISSUE, Issue.class);

        assertThat(Digests.sha256(issue))
                .isEqualTo(Digests.sha256(CanonicalJson.write(issue).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hashesBytesAndStreamsToTheKnownSha256() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        String expected = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        assertThat(Digests.sha256(abc)).isEqualTo(expected);
        assertThat(Digests.sha256(new ByteArrayInputStream(abc))).isEqualTo(expected);
        assertThat(Digests.hex(expected)).hasSize(64).doesNotStartWith("sha256:");
        assertThat(Digests.isSha256(expected)).isTrue();
        assertThat(Digests.isSha256(expected.toUpperCase())).isFalse();
    }

    @Test
    void refusesSomethingThatIsNotADigest() {
        assertThatThrownBy(() -> Digests.hex("md5:abc")).hasMessageContaining("'md5:abc' is not a digest");
    }
}
