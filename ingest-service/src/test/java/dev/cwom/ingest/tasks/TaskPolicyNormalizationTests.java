package dev.cwom.ingest.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskPolicyNormalizationTests {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"'  Acme/Widgets.git ', acme/widgets", "acme/widgets/, acme/widgets", "ACME/API, acme/api",
            "acme/widgets.github, acme/widgets.github"})
    void repoNamesAreTrimmedLowerCasedAndLoseDotGit(String raw, String slug) {
        assertThat(TaskPolicy.normalizeRepo(raw)).isEqualTo(slug);
    }
}
