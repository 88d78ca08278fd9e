package dev.cwom.worker.executors;

import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.Connectivity;
import dev.cwom.policy.PolicyCheck;
import org.jspecify.annotations.Nullable;

/**
 * Network and secrets permissions of a run, read from its limits and its ConstraintSnapshot. The network is denied when
 * the limits' {@code environment.connectivity} is {@code offline} (the snapshot's own, or written in by the operator
 * policy or the worker's ceiling when they deny the network) or the snapshot's meta has {@code allow_network: false}
 * (how the task bridge records a task's {@code allow_network}); secrets are allowed only with meta
 * {@code allow_secrets: true}. Nothing saying otherwise means no constraint on the network and no secrets.
 *
 * @param networkAllowed whether commands may use the network
 * @param networkReason why, for the decision log
 * @param secretsAllowed whether secrets may be handed to the work
 */
record RunPermissions(boolean networkAllowed, String networkReason, boolean secretsAllowed) {

    static RunPermissions of(@Nullable ConstraintSnapshot snapshot, ConstraintSnapshot.@Nullable Constraints limits) {
        boolean secrets = snapshot != null && Boolean.TRUE.equals(snapshot.meta().get(PolicyCheck.META_ALLOW_SECRETS));
        ConstraintSnapshot.Environment environment = limits == null ? null : limits.environment();
        if (environment != null && environment.connectivity() == Connectivity.OFFLINE) {
            return new RunPermissions(false, "constraints.environment.connectivity is offline (the ConstraintSnapshot's,"
                    + " or the operator policy's or the worker's ceiling when they deny the network)", secrets);
        }
        if (snapshot == null) {
            return new RunPermissions(true, "no ConstraintSnapshot", false);
        }
        if (Boolean.FALSE.equals(snapshot.meta().get(PolicyCheck.META_ALLOW_NETWORK))) {
            return new RunPermissions(false, "the ConstraintSnapshot's meta.allow_network is false", secrets);
        }
        return new RunPermissions(true, "the ConstraintSnapshot does not deny it", secrets);
    }
}
