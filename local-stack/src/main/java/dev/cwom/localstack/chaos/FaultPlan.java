package dev.cwom.localstack.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Which faults a run injects and when, drawn from the seed alone, so that a failing run can be repeated: the kills
 * (a random service each), the broker faults and the PostgreSQL restarts at random times within the sending, each
 * kill with a random time down before its restart. Faults run one after another: one that is due while another is
 * still recovering waits for it.
 */
record FaultPlan(List<Fault> faults) {

    /** The services a kill picks from, by the local stack's names. */
    static final List<String> SERVICES = List.of("ingest-service", "artifact-service", "worker-service #1",
            "worker-service #2");

    /** The broker fault's and the database restart's targets in the report. */
    static final String BROKER = "Kafka broker";
    static final String POSTGRES = "PostgreSQL";

    enum Kind {
        /** SIGKILL of a service, started again after {@code down} with the same command line. */
        KILL,
        /** The broker killed with SIGKILL and started again on its data (with one broker). */
        BROKER_RESTART,
        /** PostgreSQL stopped and started again on its data. */
        POSTGRES_RESTART
    }

    /**
     * @param at     when, from the first send
     * @param kind   what
     * @param target the service, {@link #BROKER} or {@link #POSTGRES}
     * @param down   how long a killed service stays down; zero for the others (their restart takes what it takes)
     */
    record Fault(Duration at, Kind kind, String target, Duration down) {
    }

    static FaultPlan of(ChaosSettings settings) {
        Random random = new Random(settings.seed());
        long span = Math.max(1, settings.sendingTime().toMillis());
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < settings.kills(); i++) {
            String service = SERVICES.get(random.nextInt(SERVICES.size()));
            faults.add(new Fault(at(random, span), Kind.KILL, service,
                    Duration.ofMillis((long) (random.nextDouble() * settings.maxDowntime().toMillis()))));
        }
        for (int i = 0; i < settings.brokerFaults(); i++) {
            faults.add(new Fault(at(random, span), Kind.BROKER_RESTART, BROKER, Duration.ZERO));
        }
        for (int i = 0; i < settings.postgresRestarts(); i++) {
            faults.add(new Fault(at(random, span), Kind.POSTGRES_RESTART, POSTGRES, Duration.ZERO));
        }
        faults.sort(Comparator.comparing(Fault::at));
        return new FaultPlan(List.copyOf(faults));
    }

    private static Duration at(Random random, long spanMillis) {
        return Duration.ofMillis((long) (random.nextDouble() * spanMillis));
    }
}
