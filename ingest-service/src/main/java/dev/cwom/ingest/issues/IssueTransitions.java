package dev.cwom.ingest.issues;

import static dev.cwom.model.Status.BLOCKED;
import static dev.cwom.model.Status.CANCELED;
import static dev.cwom.model.Status.DONE;
import static dev.cwom.model.Status.FAILED;
import static dev.cwom.model.Status.PLANNED;
import static dev.cwom.model.Status.READY;
import static dev.cwom.model.Status.RUNNING;

import dev.cwom.model.Status;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which Issue status may follow which (documented in docs/api.md). done and canceled are final; failed may go
 * back to ready for another attempt. Setting the current status again is a no-op, not a transition.
 */
public final class IssueTransitions {

    private static final Map<Status, Set<Status>> ALLOWED = new EnumMap<>(Map.of(
            PLANNED, EnumSet.of(READY, BLOCKED, CANCELED),
            READY, EnumSet.of(PLANNED, RUNNING, BLOCKED, CANCELED),
            RUNNING, EnumSet.of(DONE, FAILED, BLOCKED, CANCELED),
            BLOCKED, EnumSet.of(PLANNED, READY, CANCELED),
            FAILED, EnumSet.of(READY, CANCELED),
            DONE, EnumSet.noneOf(Status.class),
            CANCELED, EnumSet.noneOf(Status.class)));

    /** The statuses an Issue may be created in: work that has not started yet. */
    public static final Set<Status> INITIAL = EnumSet.of(PLANNED, READY, BLOCKED);

    private IssueTransitions() {
    }

    /** The statuses that may follow {@code from}, in declaration order. */
    public static Set<Status> allowedFrom(Status from) {
        return ALLOWED.get(from);
    }

    public static boolean isAllowed(Status from, Status to) {
        return ALLOWED.get(from).contains(to);
    }
}
