package dev.cwom.localstack;

import java.io.PrintStream;

/**
 * What a user sees once the stack is up. For now the table of components with their addresses; the demo producer
 * (issues through Kafka and REST, and a live issue -> run -> artifacts table) plugs in here.
 */
public final class Demo {

    private final LocalStack stack;
    private final PrintStream out;

    public Demo(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /** Prints the component table. */
    public void run() {
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
        stack.services().stream().filter(s -> s.name().equals("ingest-service")).findFirst()
                .ifPresent(ingest -> out.println("REST API: " + ingest.baseUrl() + "/cwom"));
        stack.services().stream().filter(s -> s.name().equals("artifact-service")).findFirst()
                .ifPresent(artifacts -> out.println("Blobs:    " + artifacts.baseUrl() + "/blobs/{digest}"));
        out.println("Data:     " + stack.settings().dataDir());
        out.flush();
    }
}
