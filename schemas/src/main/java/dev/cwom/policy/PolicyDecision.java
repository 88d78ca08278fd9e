package dev.cwom.policy;

import dev.cwom.model.ConstraintSnapshot;
import java.util.List;

/**
 * What a policy says about a run: the violations (none = allowed) and the effective constraints, the submitted ones
 * narrowed by the policy.
 *
 * @param violations every way the run asks beyond the policy, in a stable order
 * @param effective the constraints the run executes under
 */
public record PolicyDecision(List<PolicyViolation> violations, ConstraintSnapshot.Constraints effective) {

    public PolicyDecision {
        violations = List.copyOf(violations);
    }

    public boolean allowed() {
        return violations.isEmpty();
    }

    /** The violations as one sentence, for a failure message or a log line. */
    public String describe() {
        return String.join("; ", violations.stream().map(PolicyViolation::toString).toList());
    }
}
