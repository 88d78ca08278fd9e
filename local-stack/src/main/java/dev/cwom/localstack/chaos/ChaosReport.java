package dev.cwom.localstack.chaos;

import dev.cwom.localstack.benchmark.IssueAudit;
import dev.cwom.localstack.benchmark.TextTable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The chaos run's report: what came of the Issues, then one line per fault; two aligned Markdown tables. */
final class ChaosReport {

    private final ChaosSettings settings;
    private final String machine;
    private final Instant started;

    ChaosReport(ChaosSettings settings, String machine, Instant started) {
        this.settings = settings;
        this.machine = machine;
        this.started = started;
    }

    String render(ChaosLoad load, IssueAudit audit, List<String> notHandedOver, List<FaultInjector.Outcome> faults,
            Duration sending, Duration quiet, String loadAtEnd) {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        out.append("Chaos run of ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" to ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(nl);
        out.append("Machine: ").append(machine).append("; at the end ").append(loadAtEnd).append(nl);
        out.append("Settings: ").append(settings.commandLine()).append(nl).append(nl);
        int stored = audit.issues() - audit.lost();
        Map<String, Integer> notDone = audit.statuses().entrySet().stream()
                .filter(e -> !e.getKey().equals("done") && !e.getKey().equals(IssueAudit.NOT_STORED))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        TextTable issues = new TextTable("measure", " count", "note")
                .row("sent", Integer.toString(audit.issues()), load.count(ChaosLoad.Via.KAFKA, false)
                        + " Kafka noop, " + load.count(ChaosLoad.Via.KAFKA, true) + " Kafka shell, "
                        + load.count(ChaosLoad.Via.REST, false) + " REST noop, the last " + load.probe()
                        + " after the faults; " + load.retries() + "; the fault phase's sent after "
                        + FaultInjector.seconds(sending.toNanos()) + " s")
                .row("not taken by the stack", Integer.toString(notHandedOver.size()), example(notHandedOver))
                .row("stored", Integer.toString(stored), "")
                .row("done", Integer.toString(audit.done()), "quiet after " + FaultInjector.seconds(quiet.toNanos())
                        + " s")
                .row("lost", Integer.toString(audit.lost()), "sent, not stored")
                .row("stuck", Integer.toString(audit.stuck()), notDone.isEmpty() ? "stored, not done"
                        : "stored, not done: " + notDone)
                .row("done twice", Integer.toString(audit.doneMoreThanOnce().size()),
                        "two done runs (or two traces of done runs) of one Issue" + example(audit.doneMoreThanOnce()))
                .row("artifacts stored twice", Integer.toString(audit.artifactsTwice().size()),
                        "Issues with two artifacts of one run, type and digest" + example(audit.artifactsTwice()))
                .row("done without a trace", Integer.toString(audit.withoutTrace().size()),
                        example(audit.withoutTrace()));
        out.append(issues.render()).append(nl);
        TextTable table = new TextTable(" no.", " at s", "fault", " back after s", " Issues done again after s",
                "note");
        int n = 0;
        for (FaultInjector.Outcome outcome : faults) {
            n++;
            table.row(Integer.toString(n), FaultInjector.seconds(outcome.startedAt().toNanos()),
                    FaultInjector.describe(outcome.fault()),
                    outcome.back() == null ? "-" : FaultInjector.seconds(outcome.back().toNanos()),
                    outcome.flowing() == null ? "-" : FaultInjector.seconds(outcome.flowing().toNanos()),
                    outcome.error() != null ? "did not come back: " + outcome.error().lines().findFirst().orElse("")
                            : outcome.idle() ? "nothing was pending: the probe shows the flow" : "");
        }
        out.append(table.render()).append(nl);
        boolean passed = audit.passed() && notHandedOver.isEmpty() && faults.stream().allMatch(o -> o.error() == null);
        out.append(passed ? "PASSED: nothing lost, stuck, done twice or stored twice." : "FAILED: " + audit.summary())
                .append(nl);
        return out.toString();
    }

    private static String example(List<String> ids) {
        return ids.isEmpty() ? "" : " (e.g. " + ids.getFirst() + ")";
    }
}
