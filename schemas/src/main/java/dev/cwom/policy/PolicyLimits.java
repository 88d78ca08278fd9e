package dev.cwom.policy;

import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The effective ceiling for one Repo and principal, every field decided. Lists may hold {@code *} for "any".
 *
 * @param executors the executors that may run ({@code noop}, {@code shell}, {@code http})
 * @param tools the tools commands may start: allowed (a ceiling on the ConstraintSnapshot's {@code tools.allowed})
 *     and blocked (whatever else says); blocked wins
 * @param network whether commands may use the network, and the hosts the http executor may call
 * @param maxTimeBudgetSeconds the largest time budget a run may ask for
 * @param secrets whether a run may ask for secrets
 * @param maxOutputBytes the largest total size of a run's outputs (the trace aside)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PolicyLimits(List<String> executors, Tools tools, Network network, long maxTimeBudgetSeconds,
        boolean secrets, long maxOutputBytes) {

    public PolicyLimits {
        executors = List.copyOf(executors);
    }

    /** Whether {@code executor} may run. */
    public boolean allowsExecutor(String executor) {
        return Globs.anyMatches(executors, executor);
    }

    /** Whether a command may start {@code tool}. */
    public boolean allowsTool(String tool) {
        return !tools.blocked().contains(tool) && Globs.anyMatches(tools.allowed(), tool);
    }

    /** Whether the http executor may call {@code host}. */
    public boolean allowsHost(String host) {
        return Globs.anyMatches(network.hosts(), host);
    }

    /**
     * Tools: {@code allowed} bounds what may run ({@code *} = any), {@code blocked} is refused whatever else says.
     *
     * @param allowed the ceiling on tools; absent = none
     * @param blocked tools never run
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Tools(List<String> allowed, List<String> blocked) {
        public Tools {
            allowed = allowed == null ? List.of() : List.copyOf(allowed);
            blocked = blocked == null ? List.of() : List.copyOf(blocked);
        }
    }

    /**
     * Network access, denied unless allowed.
     *
     * @param allowed whether shell commands may use the network
     * @param hosts the hosts (globs, {@code *.example.com}) the http executor may call; absent = none
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Network(boolean allowed, List<String> hosts) {
        public Network {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }
    }
}
