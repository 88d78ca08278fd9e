package dev.cwom.localstack.chaos;

import dev.cwom.localstack.LocalStack;
import dev.cwom.localstack.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Injects the plan's faults one after another, each at its time from the first send (or as soon as the one before
 * has recovered), and measures for each how long until the component was back (healthy again, or accepting
 * connections) and until the pipeline moved again (the first Issue done after that). A fault the stack does not
 * recover from is reported, and the run goes on: the audit at the end then tells what it cost.
 */
final class FaultInjector {

    /**
     * What one fault did.
     *
     * @param startedAt when it was injected, from the first send
     * @param back      from the fault until the component was back; null when it did not come back
     * @param flowing   from the fault until an Issue was done again; null when none was within the quiet timeout,
     *                  and equal to {@code back} when nothing was pending
     * @param idle      every Issue sent so far was done when the component was back: nothing could show the flow
     * @param error     why it did not come back, or null
     */
    record Outcome(FaultPlan.Fault fault, Duration startedAt, @Nullable Duration back, @Nullable Duration flowing,
            boolean idle, @Nullable String error) {
    }

    private final LocalStack stack;
    private final ProgressWatch progress;
    private final ChaosSettings settings;
    private final java.util.function.LongSupplier handedOver;

    /** @param handedOver how many Issues the stack has taken so far (so when nothing is pending, nothing can move) */
    FaultInjector(LocalStack stack, ProgressWatch progress, ChaosSettings settings,
            java.util.function.LongSupplier handedOver) {
        this.stack = stack;
        this.progress = progress;
        this.settings = settings;
        this.handedOver = handedOver;
    }

    List<Outcome> run(FaultPlan plan, long startNanos) throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        int n = 0;
        for (FaultPlan.Fault fault : plan.faults()) {
            n++;
            long wait = startNanos + fault.at().toNanos() - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long t0 = System.nanoTime();
            say("Fault " + n + "/" + plan.faults().size() + " at " + seconds(t0 - startNanos) + " s: " + describe(fault)
                    + " ...");
            String error = null;
            Duration back = null;
            try {
                inject(fault);
                back = Duration.ofNanos(System.nanoTime() - t0);
            } catch (RuntimeException e) {
                error = e.getMessage();
                say("  " + fault.target() + " did not come back: " + error);
            }
            Duration flowing = null;
            boolean idle = false;
            if (back != null) {
                long doneBefore = progress.done();
                idle = doneBefore >= handedOver.getAsLong();
                if (idle) {
                    flowing = back; // nothing pending: nothing to move
                } else {
                    long seen = progress.awaitMoreThan(doneBefore, settings.quietTimeout());
                    flowing = seen < 0 ? null : Duration.ofNanos(seen - t0);
                }
                say("  back after " + seconds(back.toNanos()) + " s, Issues done again after "
                        + (flowing == null ? "(none within the quiet timeout)" : seconds(flowing.toNanos()) + " s"));
            }
            outcomes.add(new Outcome(fault, Duration.ofNanos(t0 - startNanos), back, flowing, idle, error));
        }
        return outcomes;
    }

    private void inject(FaultPlan.Fault fault) throws InterruptedException {
        switch (fault.kind()) {
            case KILL -> {
                ServiceProcess service = stack.service(fault.target());
                service.kill();
                TimeUnit.MILLISECONDS.sleep(fault.down().toMillis());
                startAgain(service);
            }
            case BROKER_RESTART -> stack.restartBroker();
            case POSTGRES_RESTART -> stack.restartPostgres();
        }
    }

    /** Starts the service again with its command line; once more if the first start does not get healthy. */
    private void startAgain(ServiceProcess service) {
        try {
            service.start();
            service.awaitHealthy(settings.startupTimeout());
        } catch (RuntimeException first) {
            say("  " + service.name() + " did not start (" + first.getMessage().lines().findFirst().orElse("")
                    + "); starting it once more");
            service.kill();
            service.start();
            service.awaitHealthy(settings.startupTimeout());
        }
    }

    static String describe(FaultPlan.Fault fault) {
        return switch (fault.kind()) {
            case KILL -> "SIGKILL " + fault.target() + ", down " + seconds(fault.down().toNanos()) + " s";
            case BROKER_RESTART -> "SIGKILL the Kafka broker and start it again";
            case POSTGRES_RESTART -> "restart PostgreSQL";
        };
    }

    static String seconds(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
