package dev.cwom.localstack.chaos;

import dev.cwom.localstack.LocalStack;
import dev.cwom.localstack.LocalStackSettings;
import dev.cwom.localstack.StackClient;
import dev.cwom.localstack.StackFolders;
import dev.cwom.localstack.benchmark.IssueAudit;
import dev.cwom.localstack.benchmark.Machine;
import dev.cwom.localstack.benchmark.Pacer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The chaos suite: starts the local stack in a folder of its own on free ports, sends the Issues while the
 * {@link FaultInjector} kills and restarts services, the broker and PostgreSQL as the seed's {@link FaultPlan} says,
 * waits for quiet (every Issue done, or none done for {@code quiet-timeout}), audits every Issue it sent
 * ({@link IssueAudit}), prints the report (also written to {@code <data-dir>/chaos-report.txt}) and stops the stack.
 * Exit code 0 when nothing was lost, stuck, done twice or stored twice; 3 when something was; 1 when the run failed;
 * 2 for a bad option.
 *
 * <p>Run it with {@code ./mvnw -B -pl local-stack -am -Pchaos package -Dchaos.args="--issues=500 --kills=8"}; see
 * docs/operations.md.
 */
public final class ChaosSuite {

    private final ChaosSettings settings;
    private final LocalStack stack;

    ChaosSuite(ChaosSettings settings, LocalStack stack) {
        this.settings = settings;
        this.stack = stack;
    }

    public static void main(String[] args) {
        ChaosSettings settings;
        try {
            settings = ChaosSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(runAndStop(settings));
    }

    private static int runAndStop(ChaosSettings settings) {
        Path demoFolder = settings.projectRoot().resolve(LocalStackSettings.defaults().dataDir().getFileName());
        if (settings.dataDir().equals(demoFolder)) {
            System.err.println("--data-dir=" + settings.dataDir() + " is the demo's folder; the chaos suite empties"
                    + " its folder first, so give it one of its own");
            return 2;
        }
        StackFolders.empty(settings.dataDir());
        LocalStack stack = new LocalStack(LocalStackSettings.onFreePorts(settings.projectRoot(), settings.dataDir(),
                settings.startupTimeout(), settings.serviceJvmOptions(), false));
        Thread stop = new Thread(stack::close, "chaos-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            stack.start();
            return new ChaosSuite(settings, stack).run() ? 0 : 3;
        } catch (Exception e) {
            System.err.println("The chaos run failed: " + e);
            e.printStackTrace();
            return 1;
        } finally {
            System.out.println("Stopping the stack (its data and logs stay in " + settings.dataDir() + ") ...");
            stack.close();
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }

    boolean run() throws Exception {
        FaultPlan plan = FaultPlan.of(settings);
        ChaosReport report = new ChaosReport(settings, Machine.describe(), Instant.now());
        say("Chaos run: " + settings.commandLine());
        try (StackClient client = StackClient.of(stack);
                ChaosLoad load = ChaosLoad.build(client, stack.credentials().admin(), settings);
                ProgressWatch progress = new ProgressWatch(stack.jdbcUrl(), stack.jdbcUser(),
                        stack.jdbcPassword())) {
            say(String.format("%d Issues (%d Kafka noop, %d Kafka shell, %d REST; the last %d after the faults) at"
                    + " %.1f/s over %d s; %d faults", load.issueIds().size(), load.count(ChaosLoad.Via.KAFKA, false), load.count(ChaosLoad.Via.KAFKA, true),
                    load.count(ChaosLoad.Via.REST, false), load.probe(), settings.rate(), settings.sendingTime().toSeconds(),
                    plan.faults().size()));
            long start = System.nanoTime();
            FaultInjector injector = new FaultInjector(stack, progress, settings, load::dispatched);
            CompletableFuture<List<FaultInjector.Outcome>> faults = CompletableFuture.supplyAsync(() -> {
                try {
                    return injector.run(plan, start);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while injecting faults", e);
                }
            }, runnable -> Thread.ofPlatform().name("chaos-faults").start(runnable));
            // The sending may outlast the faults' recovery by far on a busy machine: allow the quiet timeout past
            // the planned sending time and the faults' worst case on top.
            Instant sendDeadline = Instant.now().plus(settings.sendingTime()).plus(settings.quietTimeout())
                    .plus(settings.startupTimeout().multipliedBy(2));
            List<String> notHandedOver = new java.util.ArrayList<>(
                    load.sendDuringFaults(new Pacer(start, settings.rate()), sendDeadline));
            long sent = System.nanoTime();
            say("All Issues sent after " + FaultInjector.seconds(sent - start) + " s (" + load.retries()
                    + "); waiting for the faults to end ...");
            List<FaultInjector.Outcome> outcomes = faults.join();
            if (load.probe() > 0) {
                say("Probe: " + load.probe() + " more Issues after the last fault ...");
                notHandedOver.addAll(load.sendProbe(new Pacer(System.nanoTime(), settings.rate()),
                        Instant.now().plus(settings.quietTimeout())));
            }
            say("Waiting for quiet: every Issue done, or none done for " + settings.quietTimeout() + " ...");
            awaitQuiet(progress, load.issueIds().size());
            long quiet = System.nanoTime();
            IssueAudit audit = audit(load.issueIds());
            // Done Issues whose trace artifact is still on its way to the sink get a minute to arrive.
            Instant traceDeadline = Instant.now().plusSeconds(60);
            while (!audit.withoutTrace().isEmpty() && Instant.now().isBefore(traceDeadline)) {
                Thread.sleep(1_000);
                audit = audit(load.issueIds());
            }
            String text = report.render(load, audit, notHandedOver, outcomes, Duration.ofNanos(sent - start),
                    Duration.ofNanos(quiet - start), Machine.load());
            System.out.println();
            System.out.print(text);
            System.out.flush();
            Path file = settings.dataDir().resolve("chaos-report.txt");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.out.println("The report is also in " + file);
            return audit.passed() && notHandedOver.isEmpty() && outcomes.stream().allMatch(o -> o.error() == null);
        }
    }

    private void awaitQuiet(ProgressWatch progress, int issues) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (progress.done() < issues) {
            long idle = System.nanoTime() - progress.lastIncreaseNanos();
            if (idle > settings.quietTimeout().toNanos()) {
                return;
            }
            if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
                say("  " + progress.done() + " of " + issues + " done");
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    private IssueAudit audit(List<String> issueIds) throws java.sql.SQLException {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword())) {
            return IssueAudit.of(db, issueIds);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
