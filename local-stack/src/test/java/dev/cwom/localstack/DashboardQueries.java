package dev.cwom.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The metric names the PromQL queries of a Grafana dashboard JSON read, for checking them against scrapes. */
final class DashboardQueries {

    /** The repository's dashboard, as docker-compose's Grafana loads it (tests run in the module's folder). */
    static Path dashboard() {
        Path dir = Path.of("").toAbsolutePath();
        Path root = Files.exists(dir.resolve("docker-compose.yml")) ? dir : dir.getParent();
        return root.resolve("docs/observability/grafana/dashboards/cwom-pipeline.json");
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** PromQL's words that are no metric (functions are recognised by their parenthesis). */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset");
    /** Series Prometheus makes itself rather than scraping them. */
    private static final Set<String> SYNTHETIC = Set.of("up");

    private DashboardQueries() {
    }

    /** The metric names of every {@code expr} of every panel of {@code dashboard}. */
    static Set<String> metricNames(Path dashboard) throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(dashboard));
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : root.findValues("expr")) {
            names.addAll(metricNames(expr.asString()));
        }
        return names;
    }

    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\\{[^}]*}", "")      // label matchers
                .replaceAll("\\[[^]]*]", "")                   // range selectors
                .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "") // grouping labels
                .replaceAll("\"[^\"]*\"", "");                 // strings
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            while (next < bare.length() && Character.isWhitespace(bare.charAt(next))) {
                next++;
            }
            boolean function = next < bare.length() && bare.charAt(next) == '(';
            boolean number = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word) && !SYNTHETIC.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }
}
