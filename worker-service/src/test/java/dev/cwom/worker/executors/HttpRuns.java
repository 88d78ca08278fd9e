package dev.cwom.worker.executors;

import dev.cwom.policy.PolicyLimits;
import dev.cwom.worker.trace.TraceFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Runs of the http executor in tests: a request for a work order, with allowed hosts, and a fresh trace folder. */
final class HttpRuns {

    private final Path temp;
    private TraceFolder trace;
    private ExecutionRequest request;

    HttpRuns(Path temp) {
        this.temp = temp;
    }

    /** Allowed hosts from one policy listing {@code entries}, as the operator policy's {@code network.hosts}. */
    static AllowedHosts hosts(String... entries) {
        return AllowedHosts.of(new AllowedHosts.Source("the test policy", new PolicyLimits(List.of("*"),
                new PolicyLimits.Tools(List.of("*"), List.of()), new PolicyLimits.Network(true, List.of(entries)),
                3600, false, 1L << 30)));
    }

    ExecutionResult run(HttpExecutor http, TestWorkOrder order, AllowedHosts allowed) throws IOException {
        String runId = "01KRUN" + System.nanoTime();
        request = order.request(runId, temp.resolve("work")).withAllowedHosts(allowed);
        trace = TraceFolder.create(temp.resolve("traces"), runId, Clock.systemUTC());
        return http.execute(request, trace);
    }

    ExecutionRequest request() {
        return request;
    }

    /** The steps the run's trace recorded, one JSON line each. */
    String events() throws IOException {
        return Files.readString(trace.path().resolve(TraceFolder.EVENTS));
    }
}
