package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The dashboard's queries read our metrics only (that each exists in a scrape after real work is checked on the
 * running stack by {@link LocalStackTests}).
 */
class DashboardQueriesTests {

    @Test
    void namesAreTheMetricsOfAQueryNotItsFunctionsLabelsOrKeywords() {
        assertThat(DashboardQueries.metricNames("histogram_quantile(0.95, sum by (le, executor) "
                + "(rate(cwom_run_duration_seconds_bucket{status=\"done\"}[5m]))) or vector(0)"))
                .containsExactly("cwom_run_duration_seconds_bucket");
        assertThat(DashboardQueries.metricNames("sum(rate(a_sum[5m])) / sum(rate(a_count[5m]))"))
                .containsExactly("a_count", "a_sum");
        assertThat(DashboardQueries.metricNames("count(up{job=~\"cwom-.*\"} == 0)")).isEmpty();
    }

    @Test
    void theDashboardQueriesTheServicesMetricsOnly() throws Exception {
        assertThat(DashboardQueries.metricNames(DashboardQueries.dashboard())).isNotEmpty()
                .allMatch(name -> name.startsWith("cwom_") || name.startsWith("kafka_")
                        || name.startsWith("http_server_requests_"));
    }
}
