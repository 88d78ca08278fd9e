package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.cli.client.Output;
import dev.cwom.json.CwomJson;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code watch ISSUE}: polls the Issue (the API has no long-poll for reads; {@code ?wait} is only for run and
 * artifact reports) until it is done, failed or canceled, showing its latest run, the age of that run's last
 * update (the sink stores every heartbeat) and the elapsed time. The exit code is the outcome.
 */
@Command(name = "watch", description = "Follow an Issue until it is done, failed or canceled; the exit code says "
        + "which (0, 10, 11).")
public final class WatchCommand implements Callable<Integer> {

    @Mixin ApiOptions options;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ISSUE", description = "the Issue's id")
    String issue;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "seconds between polls (default: ${DEFAULT-VALUE})")
    double interval;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after this long (exit 8)")
    @Nullable Double timeout;

    @Override
    public Integer call() throws InterruptedException {
        Api api = options.api();
        Output out = options.out(spec);
        // Overwriting one line only makes sense on a terminal; a pipe or a log gets a line per change.
        boolean live = !out.json() && onTerminal();
        Instant start = Instant.now();
        String previous = null;
        while (true) {
            JsonNode view = api.get("/cwom/issues/" + Api.segment(issue));
            State state = State.of(view, start, Instant.now());
            boolean changed = !Objects.equals(state.key(), previous);
            previous = state.key();
            if (out.json()) {
                if (changed || state.exitCode() != null) {
                    out.jsonLine(state.toJson());
                }
            } else if (live) {
                out.out().print("\r" + state.line() + "\u001b[K");
                out.out().flush();
            } else if (changed) {
                out.line(state.line());
            }
            if (state.exitCode() != null) {
                if (live) {
                    out.line("");
                }
                if (!out.json()) {
                    out.line("Issue " + issue + " " + state.status() + " after " + seconds(state.elapsed()));
                }
                return state.exitCode();
            }
            if (timeout != null && Duration.between(start, Instant.now()).toMillis() > timeout * 1000) {
                if (live) {
                    out.line("");
                }
                throw new CliException(ExitCodes.TIMEOUT, "Issue " + issue + " is still " + state.status()
                        + " after " + seconds(state.elapsed()) + " (--timeout)");
            }
            Thread.sleep((long) (interval * 1000));
        }
    }

    /**
     * Whether stdout is a terminal. From JDK 22 {@code System.console()} exists even when redirected and
     * {@code Console.isTerminal()} tells; the build targets 21, so it is looked up.
     */
    private static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }

    private static String seconds(Duration duration) {
        long s = duration.toSeconds();
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }

    /** What one poll saw. */
    record State(String issueId, String status, @Nullable String runId, @Nullable String runStatus,
                 @Nullable Duration sinceUpdate, Duration elapsed) {

        static State of(JsonNode view, Instant start, Instant now) {
            JsonNode issue = view.path("issue");
            JsonNode runs = view.path("runs");
            JsonNode latest = runs.isArray() && !runs.isEmpty() ? runs.get(runs.size() - 1) : null;
            Duration sinceUpdate = null;
            if (latest != null && latest.hasNonNull("updated_at")) {
                try {
                    sinceUpdate = Duration.between(Instant.parse(latest.get("updated_at").asString()), now);
                } catch (DateTimeParseException ignored) {
                    // shown without the age
                }
            }
            return new State(issue.path("id").asString(), issue.path("status").asString(),
                    latest == null ? null : latest.path("id").asString(),
                    latest == null ? null : latest.path("status").asString(null), sinceUpdate,
                    Duration.between(start, now));
        }

        /** What identifies a change (not the clock). */
        String key() {
            return status + "/" + runId + "/" + runStatus;
        }

        @Nullable Integer exitCode() {
            return switch (status) {
                case "done" -> ExitCodes.OK;
                case "failed" -> ExitCodes.ISSUE_FAILED;
                case "canceled" -> ExitCodes.ISSUE_CANCELED;
                default -> null;
            };
        }

        String line() {
            StringBuilder text = new StringBuilder("issue " + issueId + " " + status);
            if (runId != null) {
                text.append(" | run ").append(runId).append(' ').append(runStatus);
                if (sinceUpdate != null) {
                    text.append(" | last heartbeat ").append(seconds(sinceUpdate.isNegative() ? Duration.ZERO
                            : sinceUpdate)).append(" ago");
                }
            } else {
                text.append(" | no run yet");
            }
            return text.append(" | elapsed ").append(seconds(elapsed)).toString();
        }

        ObjectNode toJson() {
            ObjectNode node = CwomJson.mapper().createObjectNode();
            node.put("issue_id", issueId);
            node.put("status", status);
            node.put("run_id", runId);
            node.put("run_status", runStatus);
            if (sinceUpdate != null) {
                node.put("since_run_update_s", sinceUpdate.toMillis() / 1000.0);
            }
            node.put("elapsed_s", elapsed.toMillis() / 1000.0);
            node.put("final", exitCode() != null);
            return node;
        }
    }
}
