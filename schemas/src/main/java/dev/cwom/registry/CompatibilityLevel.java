package dev.cwom.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/** Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}. */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** The level named {@code name} (any case), or a 42203 error naming the valid ones. */
    public static CompatibilityLevel parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryError.invalidCompatibilityLevel(name);
        }
    }

    /**
     * Every incompatibility of {@code candidate} with the versions this level compares it to (the newest one, or all
     * for the transitive levels), each as "TYPE at location: message (version N)"; empty when compatible.
     */
    List<String> incompatibilities(Schema candidate, List<RegisteredVersion> existingOldestFirst) {
        if (existingOldestFirst.isEmpty() || this == NONE) {
            return List.of();
        }
        List<RegisteredVersion> against = transitive
                ? existingOldestFirst
                : List.of(existingOldestFirst.getLast());
        List<String> problems = new ArrayList<>();
        for (RegisteredVersion old : against) {
            if (newReadsOld) {
                describe(candidate, old.schema(), "new schema cannot read data written with version "
                        + old.version(), problems);
            }
            if (oldReadsNew) {
                describe(old.schema(), candidate, "version " + old.version()
                        + " cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private static void describe(Schema reader, Schema writer, String direction, List<String> into) {
        for (Incompatibility i : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult().getIncompatibilities()) {
            into.add(i.getType() + " at " + i.getLocation() + ": " + i.getMessage() + " (" + direction + ")");
        }
    }
}
