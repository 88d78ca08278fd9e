package dev.cwom.worker.executors;

import dev.cwom.model.ConstraintSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How long an execution may take: {@code time.available_minutes} of the ConstraintSnapshot (fractional minutes
 * allowed: 0.05 = 3 s), cut short by {@code time.deadline} when that comes first, else the worker's default.
 *
 * @param limit the budget
 * @param source where it came from, for messages ("0.05 min (3.0 s) from constraints.time.available_minutes")
 */
record TimeBudget(Duration limit, String source) {

    static TimeBudget of(ConstraintSnapshot.@Nullable Constraints constraints, Duration fallback, Instant now) {
        ConstraintSnapshot.Time time = constraints == null ? null : constraints.time();
        TimeBudget budget = time != null && time.availableMinutes() != null
                ? new TimeBudget(Duration.ofMillis(Math.round(time.availableMinutes() * 60_000)),
                        String.format(Locale.ROOT, "%s min (%s) from constraints.time.available_minutes",
                                time.availableMinutes(), format(Duration.ofMillis(
                                        Math.round(time.availableMinutes() * 60_000)))))
                : new TimeBudget(fallback, format(fallback) + " (the worker's default-time-budget; the"
                        + " ConstraintSnapshot gives no time.available_minutes)");
        if (time != null && time.deadline() != null) {
            Duration untilDeadline = Duration.between(now, time.deadline());
            if (untilDeadline.compareTo(budget.limit()) < 0) {
                return new TimeBudget(untilDeadline.isNegative() ? Duration.ZERO : untilDeadline,
                        format(untilDeadline.isNegative() ? Duration.ZERO : untilDeadline)
                                + " until constraints.time.deadline " + time.deadline());
            }
        }
        return budget;
    }

    /** A duration as people read it: "3.0 s", "2 min 5 s". */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return (millis / 60_000) + " min " + (millis % 60_000) / 1000 + " s";
    }
}
