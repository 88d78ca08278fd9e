package dev.cwom.model.validation;

import dev.cwom.model.CwomObject;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The spec's rules that span fields, which Bean Validation annotations cannot express on a single field. (Which kind
 * a Ref must name is declared on the field itself with {@link dev.cwom.model.RefTo}.)
 */
final class CrossFieldRules {

    /** duration_s may differ from ended_at - started_at by the millisecond rounding of the two timestamps. */
    private static final double DURATION_TOLERANCE_S = 0.001 + 1e-9;

    private CrossFieldRules() {
    }

    static List<Violation> check(CwomObject object) {
        List<Violation> out = new ArrayList<>();
        JsonPath root = JsonPath.root(object.getClass());
        notBefore(out, root.field("updatedAt"), object.updatedAt(), "created_at", object.createdAt(),
                "an object cannot be updated before it was created");
        if (object instanceof Run run) {
            run(out, root, run);
        }
        return out;
    }

    private static void run(List<Violation> out, JsonPath root, Run run) {
        if (run.status() == Status.FAILED && run.failure() == null) {
            out.add(new Violation(root.field("failure").toString(),
                    "is missing although status is 'failed'; say why with failure {category, message}"));
        } else if (run.status() != Status.FAILED && run.failure() != null) {
            out.add(new Violation(root.field("failure").toString(), "is given although status is '"
                    + run.status().value() + "'; only a failed Run has a failure: remove it or set status to 'failed'"));
        }

        Run.Telemetry telemetry = run.telemetry();
        JsonPath t = root.field("telemetry");
        Instant started = telemetry.startedAt();
        Instant ended = telemetry.endedAt();
        if (ended != null && started == null) {
            out.add(new Violation(t.field("startedAt").toString(),
                    "is missing although ended_at is given; a Run that ended must have started"));
        }
        notBefore(out, t.field("endedAt"), ended, "started_at", started, "a Run cannot end before it starts");
        Double duration = telemetry.durationS();
        if (started != null && ended != null && duration != null && !ended.isBefore(started)) {
            double actual = Duration.between(started, ended).toMillis() / 1000.0;
            if (Math.abs(duration - actual) > DURATION_TOLERANCE_S) {
                out.add(new Violation(t.field("durationS").toString(), "is " + duration
                        + " but ended_at - started_at is " + actual + " s; they must agree to the millisecond"));
            }
        }
    }

    private static void notBefore(List<Violation> out, JsonPath path, @Nullable Instant later, String earlierName,
            @Nullable Instant earlier, String why) {
        if (later != null && earlier != null && later.isBefore(earlier)) {
            out.add(new Violation(path.toString(), "is " + later + ", before " + earlierName + " " + earlier
                    + "; " + why));
        }
    }
}
