package dev.cwom.worker.executors;

import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.Connectivity;
import org.jspecify.annotations.Nullable;

/**
 * Network and secrets permissions of a run, read from its ConstraintSnapshot. The network is denied when
 * {@code environment.connectivity} is {@code offline} or the snapshot's meta has {@code allow_network: false} (how the
 * task bridge records a task's {@code allow_network}); secrets are allowed only with meta {@code allow_secrets: true}.
 * No snapshot means no constraint on the network and no secrets.
 *
 * @param networkAllowed whether commands may use the network
 * @param networkReason why, for the decision log
 * @param secretsAllowed whether secrets may be handed to the work
 */
record RunPermissions(boolean networkAllowed, String networkReason, boolean secretsAllowed) {

    static RunPermissions of(@Nullable ConstraintSnapshot snapshot) {
        if (snapshot == null) {
            return new RunPermissions(true, "no ConstraintSnapshot", false);
        }
        ConstraintSnapshot.Environment environment = snapshot.constraints().environment();
        boolean secrets = Boolean.TRUE.equals(snapshot.meta().get("allow_secrets"));
        if (environment != null && environment.connectivity() == Connectivity.OFFLINE) {
            return new RunPermissions(false, "constraints.environment.connectivity is offline", secrets);
        }
        if (Boolean.FALSE.equals(snapshot.meta().get("allow_network"))) {
            return new RunPermissions(false, "the ConstraintSnapshot's meta.allow_network is false", secrets);
        }
        return new RunPermissions(true, "the ConstraintSnapshot does not deny it", secrets);
    }
}
