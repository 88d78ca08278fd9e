package dev.cwom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * For the architecture tests "SQL naming a table appears only in its owner's module": which tables and views an
 * owner's migrations create, and where a module's main sources name them in SQL (Java string literals, SQL outside
 * comments). Modules are found by relative path from the module the test runs in (Maven runs tests there).
 */
public final class OwnedSql {

    /** ingest-service's migrations, from a sibling module. */
    public static final Path INGEST_MIGRATIONS = Path.of("..", "ingest-service", "src", "main", "resources", "db",
            "ingest");
    /** artifact-service's migrations, from a sibling module. */
    public static final Path SINK_MIGRATIONS = Path.of("..", "artifact-service", "src", "main", "resources", "db",
            "sink");

    private static final Pattern CREATES = Pattern.compile("(?i)\\bCREATE\\s+(TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
            + "(\\w+)");
    private static final Pattern JAVA_STRING = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"",
            Pattern.DOTALL);
    private static final Pattern SQL_COMMENT = Pattern.compile("--[^\\n]*");

    /** A table named where it must not be. */
    public record Violation(Path file, String table) {
        @Override
        public String toString() {
            return file + " names " + table;
        }
    }

    private OwnedSql() {
    }

    /** The tables ({@code TABLE}) or views ({@code VIEW}) the scripts in {@code migrations} create. */
    public static Set<String> created(Path migrations, String what) {
        Set<String> names = new TreeSet<>();
        for (Path script : files(migrations, ".sql")) {
            Matcher m = CREATES.matcher(withoutSqlComments(read(script)));
            while (m.find()) {
                if (m.group(1).equalsIgnoreCase(what)) {
                    names.add(m.group(2).toLowerCase());
                }
            }
        }
        if (names.isEmpty() && what.equalsIgnoreCase("TABLE")) {
            throw new IllegalStateException("No CREATE TABLE found under " + migrations.toAbsolutePath()
                    + ": the architecture test must find the other owner's migrations to check anything");
        }
        return names;
    }

    /** Where the SQL of the Java sources and SQL scripts under {@code root} names one of {@code tables}. */
    public static List<Violation> naming(Path root, Set<String> tables) {
        List<Violation> found = new ArrayList<>();
        for (Path file : files(root, ".java", ".sql")) {
            String sql = file.toString().endsWith(".sql") ? withoutSqlComments(read(file)) : javaStrings(read(file));
            for (String table : tables) {
                if (Pattern.compile("(?i)\\b" + Pattern.quote(table) + "\\b").matcher(sql).find()) {
                    found.add(new Violation(root.relativize(file), table));
                }
            }
        }
        return found;
    }

    /** The SQL scripts under {@code root}. */
    public static List<Path> sqlScripts(Path root) {
        return files(root, ".sql");
    }

    private static String javaStrings(String source) {
        StringBuilder strings = new StringBuilder();
        Matcher m = JAVA_STRING.matcher(source);
        while (m.find()) {
            strings.append(m.group(1) != null ? m.group(1) : m.group(2)).append('\n');
        }
        return strings.toString();
    }

    private static String withoutSqlComments(String sql) {
        return SQL_COMMENT.matcher(sql).replaceAll("");
    }

    private static List<Path> files(Path root, String... suffixes) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
