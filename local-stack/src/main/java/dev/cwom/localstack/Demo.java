package dev.cwom.localstack;

import dev.cwom.events.RecordRejected;
import dev.cwom.model.Ids;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a user sees once the stack is up: the component table, then a handful of realistic issues submitted through
 * Kafka and REST (a noop research issue, a shell issue and an agent issue for the http executor by Kafka, an Issue
 * and a task by REST) and two broken records by Kafka, and a live table issue -> run -> status -> artifacts until every valid issue is done and both
 * broken records are on the rejected topic, or {@link #TIME_LIMIT} has passed.
 */
public final class Demo {

    /** How long the demo waits for its issues; generous for a busy two-core machine. */
    static final Duration TIME_LIMIT = Duration.ofMinutes(3);
    private static final Duration REFRESH = Duration.ofSeconds(2);

    private final LocalStack stack;
    private final PrintStream out;

    public Demo(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /** Prints the component table, runs the demo issues and answers whether all of them ended as expected. */
    public boolean run() {
        printComponents();
        try (StackClient client = StackClient.of(stack);
                StackClient.RejectedReader rejected = client.openRejectedReader();
                DemoAgent agent = DemoAgent.start()) {
            return new Session(client, rejected, agent).run();
        }
    }

    private void printComponents() {
        out.println();
        out.println("CWOM local stack is up:");
        String row = "| %-24s | %-48s | %-8s | %s |%n";
        out.printf(row, "component", "address", "pid", "log");
        out.printf(row, "-".repeat(24), "-".repeat(48), "-".repeat(8), "---");
        for (StackComponent c : stack.components()) {
            out.printf(row, c.name(), c.address(), c.pid() < 0 ? "" : Long.toString(c.pid()),
                    c.log() == null ? "" : c.log());
        }
        out.println();
        out.println("Console:  " + stack.consoleUrl() + " (sign in with a token from the file below)");
        out.println("REST API: " + stack.serviceUrl("ingest-service") + "/cwom");
        out.println("Blobs:    " + stack.serviceUrl("artifact-service") + "/blobs/{digest}");
        out.println("Tokens:   " + stack.credentials().file() + " (every request needs one: curl -H"
                + " \"Authorization: Bearer $CWOM_READ_TOKEN\" ...)");
        out.println("Data:     " + stack.settings().dataDir() + " (" + earlierData() + ")");
        out.flush();
    }

    /** What earlier starts left in the database, so a user sees that a second start reuses the data. */
    private String earlierData() {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
                Statement query = db.createStatement();
                ResultSet counts = query.executeQuery(
                        "SELECT (SELECT count(*) FROM cwom_issues), (SELECT count(*) FROM cwom_runs)")) {
            counts.next();
            long issues = counts.getLong(1);
            return issues == 0 ? "empty: a first start"
                    : "kept from earlier starts: " + issues + " issues, " + counts.getLong(2) + " runs";
        } catch (SQLException e) {
            return "could not count what earlier starts left: " + e.getMessage();
        }
    }

    /** One demo: what was submitted and what became of it. */
    private final class Session {

        private final StackClient client;
        private final StackClient.RejectedReader rejectedReader;
        private final DemoAgent agent;
        private final Map<String, Submitted> valid = new LinkedHashMap<>();
        private final Map<String, Broken> invalid = new LinkedHashMap<>();
        private final Map<String, RecordRejected> rejections = new LinkedHashMap<>();
        /** Failed runs already explained under a table, so each is explained once. */
        private final Set<String> explainedFailures = new HashSet<>();
        private final String demo = Ids.newUlid().substring(18).toLowerCase();

        Session(StackClient client, StackClient.RejectedReader rejectedReader, DemoAgent agent) {
            this.client = client;
            this.rejectedReader = rejectedReader;
            this.agent = agent;
        }

        boolean run() {
            submitAll();
            Instant until = Instant.now().plus(TIME_LIMIT);
            List<Row> rows = List.of();
            boolean finished = false;
            while (!finished && Instant.now().isBefore(until)) {
                rejectedReader.poll(REFRESH).forEach((key, record) -> {
                    if (invalid.containsKey(key)) {
                        rejections.put(key, record);
                    }
                });
                rows = valid.values().stream().map(this::row).toList();
                printTable(rows);
                finished = rows.stream().allMatch(Row::done) && rejections.size() == invalid.size();
            }
            printUrls(rows);
            if (finished) {
                out.println("Demo passed: " + rows.size() + " valid issues done, " + rejections.size()
                        + " broken records rejected.");
                return true;
            }
            List<String> notDone = rows.stream().filter(r -> !r.done()).map(r -> r.label() + " (" + r.issueId()
                    + ", Issue " + r.issueStatus() + ", run " + r.runStatus() + ")").toList();
            List<String> notRejected = invalid.keySet().stream().filter(k -> !rejections.containsKey(k)).toList();
            out.println("Demo FAILED after " + TIME_LIMIT + ": not done: " + notDone + "; not on "
                    + dev.cwom.events.Topics.ISSUES_REJECTED + ": " + notRejected
                    + ". See the service logs in " + stack.settings().logsDir() + ".");
            return false;
        }

        private void submitAll() {
            out.println();
            out.println("Submitting the demo issues (demo " + demo + ") ...");
            String kafkaRepo = DemoIssues.repo("demo/pipeline-" + demo, "echo", "ls", "mkdir", "cp");

            String research = Ids.newUlid();
            client.submit(research, DemoIssues.event()
                    .setRepoJson(kafkaRepo)
                    .setIssueJson(DemoIssues.issue(research, "Compare retry strategies for the outbox relay",
                            "research", null))
                    .setContextPacketsJson(List.of(DemoIssues.packet("Relay retries today: fixed 1 s back-off.",
                            null)))
                    .setConstraintSnapshotJson(DemoIssues.constraints(10, "echo"))
                    .build());
            valid.put(research, new Submitted("research via Kafka", research, "noop"));

            String shell = Ids.newUlid();
            client.submit(shell, DemoIssues.event()
                    .setRepoJson(kafkaRepo)
                    .setIssueJson(DemoIssues.issue(shell, "List the workspace and write a report", "chore",
                            "shell"))
                    .setContextPacketsJson(List.of(DemoIssues.packet("A shell run with an output file.",
                            List.of("echo listing the workspace", "ls -la", "mkdir -p out",
                                    "cp /etc/os-release out/os-release.txt"))))
                    .setConstraintSnapshotJson(DemoIssues.constraints(5, "echo", "ls", "mkdir", "cp"))
                    .build());
            valid.put(shell, new Submitted("shell via Kafka", shell, "shell"));

            String agentIssue = Ids.newUlid();
            client.submit(agentIssue, DemoIssues.event()
                    .setRepoJson(kafkaRepo)
                    .setIssueJson(DemoIssues.agentIssue(agentIssue, "Summarise last week's failed runs for the team",
                            agent.webhookUrl()))
                    .setContextPacketsJson(List.of(DemoIssues.packet("Failed runs are in cwom_runs with a failure.",
                            null)))
                    .setConstraintSnapshotJson(DemoIssues.constraints(5))
                    .build());
            valid.put(agentIssue, new Submitted("agent via Kafka", agentIssue, "http"));

            String restRepo = DemoIssues.restRepoId(client, "demo/rest-" + demo);
            JsonNode created = client.post("/cwom/issues", DemoIssues.restIssue(restRepo,
                    "Document how to replay rejected records"));
            String restIssue = created.path("id").asString();
            valid.put(restIssue, new Submitted("doc via POST /cwom/issues", restIssue, "noop"));

            JsonNode task = client.post("/tasks/enqueue", DemoIssues.task("demo/tasks-" + demo,
                    "Summarise last week's failed runs by failure category", "demo-" + demo));
            String taskIssue = task.path("cwom_issue_id").asString();
            valid.put(taskIssue, new Submitted("task via POST /tasks/enqueue", taskIssue, "noop"));

            String badMagic = "demo-" + demo + "-wrong-magic-byte";
            client.sendRaw(badMagic, "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8));
            invalid.put(badMagic, new Broken("wrong magic byte via Kafka", "JSON bytes instead of the Avro wire format"));

            String badIssue = "demo-" + demo + "-invalid-issue";
            client.submit(badIssue, DemoIssues.event().setRepoJson(kafkaRepo)
                    .setIssueJson("{\"kind\": \"Issue\", \"title\": \"\", \"type\": \"wish\", \"status\": \"ready\"}")
                    .build());
            invalid.put(badIssue, new Broken("invalid Issue via Kafka", "an Issue with an empty title and an unknown type"));
            out.println("Submitted " + valid.size() + " valid issues and " + invalid.size() + " broken records.");
        }

        private Row row(Submitted submitted) {
            JsonNode view = client.get("/cwom/issues/" + submitted.issueId());
            if (view == null) {
                return new Row(submitted.label(), submitted.issueId(), submitted.executor(), "(not yet stored)",
                        "", "", List.of(), null, List.of());
            }
            String issueStatus = view.path("issue").path("status").asString("");
            JsonNode latest = null;
            List<String> failures = new ArrayList<>();
            for (JsonNode run : view.path("runs")) {
                if ("failed".equals(run.path("status").asString()) && run.hasNonNull("failure")) {
                    failures.add("Run " + run.path("id").asString() + " of '" + submitted.label() + "' failed ("
                            + run.path("failure").path("category").asString() + "): "
                            + run.path("failure").path("message").asString());
                }
                if (latest == null || run.path("id").asString().compareTo(latest.path("id").asString()) > 0) {
                    latest = run;
                }
            }
            List<String> artifacts = new ArrayList<>();
            String traceUrl = null;
            if (latest != null) {
                for (JsonNode artifact : StackClient.items(client.get("/cwom/runs/" + latest.path("id").asString()
                        + "/artifacts"))) {
                    artifacts.add(artifact.path("type").asString());
                    if ("trace".equals(artifact.path("type").asString())) {
                        traceUrl = artifact.path("uri").asString();
                    }
                }
            }
            return new Row(submitted.label(), submitted.issueId(), submitted.executor(), issueStatus,
                    latest == null ? "" : latest.path("id").asString(),
                    latest == null ? "" : latest.path("status").asString(), artifacts, traceUrl, failures);
        }

        private void printTable(List<Row> rows) {
            String format = "| %-30s | %-30s | %-8s | %-26s | %-10s | %-8s | %s |%n";
            out.println();
            out.println("Issues at " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ":");
            out.printf(format, "issue", "issue id", "executor", "run", "run status", "status", "artifacts");
            out.printf(format, "-".repeat(30), "-".repeat(30), "-".repeat(8), "-".repeat(26), "-".repeat(10),
                    "-".repeat(8), "---");
            for (Row r : rows) {
                out.printf(format, r.label(), r.issueId(), r.executor(), r.runId(), r.runStatus(), r.issueStatus(),
                        String.join(", ", r.artifacts()));
            }
            // a failed attempt is part of the story (say, a finish that lost its transaction and ran again): say why
            rows.stream().flatMap(r -> r.failures().stream()).filter(explainedFailures::add).forEach(out::println);
            for (Map.Entry<String, Broken> bad : invalid.entrySet()) {
                RecordRejected rejected = rejections.get(bad.getKey());
                out.printf(format, bad.getValue().label(), bad.getKey(), "", "", "",
                        rejected == null ? "(waiting)" : "rejected",
                        rejected == null ? "" : rejected.getReasonCode() + " on " + rejected.getSourceTopic() + "-"
                                + rejected.getSourcePartition() + "@" + rejected.getSourceOffset());
            }
            out.flush();
        }

        private void printUrls(List<Row> rows) {
            out.println();
            for (Map.Entry<String, Broken> bad : invalid.entrySet()) {
                RecordRejected rejected = rejections.get(bad.getKey());
                out.println("Rejected " + bad.getKey() + " (" + bad.getValue().description() + "): "
                        + (rejected == null ? "not seen on the rejected topic"
                                : rejected.getReasonCode() + " - " + rejected.getMessage()));
            }
            for (Row r : rows) {
                out.println(r.label() + ": " + client.ingestUrl() + "/cwom/issues/" + r.issueId()
                        + (r.traceUrl() == null ? "" : "  trace: " + r.traceUrl()));
            }
            out.flush();
        }
    }

    private record Broken(String label, String description) {
    }

    private record Submitted(String label, String issueId, String executor) {
    }

    private record Row(String label, String issueId, String executor, String issueStatus, String runId,
            String runStatus, List<String> artifacts, @Nullable String traceUrl, List<String> failures) {

        /** The Issue reached done through its run, and the run left a trace. */
        boolean done() {
            return "done".equals(issueStatus) && "done".equals(runStatus) && traceUrl != null;
        }
    }
}
