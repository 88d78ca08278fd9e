package dev.cwom.worker.execution;

import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.policy.OperatorPolicy;
import dev.cwom.policy.PolicyCheck;
import dev.cwom.policy.PolicyDecision;
import dev.cwom.policy.PolicyDoctrine;
import dev.cwom.policy.PolicyLimits;
import dev.cwom.policy.PolicyViolation;
import dev.cwom.policy.RunAsk;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.executors.AllowedHosts;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.HttpExecutor;
import dev.cwom.worker.executors.Pinned;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operator's policy again at execution (defence in depth): the policy DoctrineRef the work order pins (its digest
 * already checked), resolved for the work order's Repo and {@code requested_by}, and this worker's own
 * {@code cwom.worker.ceiling}, each decided by the same {@link PolicyCheck} as at submission. A run asking beyond
 * either is refused (failure {@code policy}, the message naming each rule); otherwise it runs under the constraints
 * narrowed by both. A work order with no pinned policy (from a producer older than the policy) is held to the ceiling
 * alone.
 */
final class RunPolicy {

    private static final String CEILING = "the worker's ceiling (cwom.worker.ceiling)";

    private final WorkerProperties properties;

    RunPolicy(WorkerProperties properties) {
        this.properties = properties;
    }

    /**
     * What the policy and the ceiling say about a run.
     *
     * @param request the request to execute, with its effective constraints; absent when refused
     * @param refusal every violation, in one message; absent when admitted
     * @param decision for the decision log: which policy, for whom, and what was narrowed
     */
    record Outcome(@Nullable ExecutionRequest request, @Nullable String refusal, String decision) {
    }

    Outcome apply(ExecutionRequest request, String executor, @Nullable String requestedBy) {
        List<ContextPacket> packets = request.contextPackets().stream().map(Pinned::value).toList();
        RunAsk ask = new RunAsk(executor, RunAsk.toolsOf(packets), webhookHost(request, executor));
        ConstraintSnapshot snapshot = request.constraints() == null ? null : request.constraints().value();
        String slug = request.repo().value().slug();
        List<PolicyViolation> violations = new ArrayList<>();
        ConstraintSnapshot.Constraints effective = snapshot == null ? null : snapshot.constraints();
        long maxOutputBytes = properties.ceiling().maxOutputBytes();
        String decision;
        List<AllowedHosts.Source> hosts = new ArrayList<>();
        Optional<Pinned<DoctrineRef>> pinned = PolicyDoctrine.newest(request.doctrineRefs(), Pinned::value);
        if (pinned.isPresent()) {
            OperatorPolicy policy = PolicyDoctrine.policyOf(pinned.get().value()).orElseThrow();
            String label = "the operator policy v" + pinned.get().value().version();
            PolicyLimits limits = policy.limitsFor(slug, requestedBy);
            hosts.add(new AllowedHosts.Source(label, limits));
            PolicyDecision byPolicy = PolicyCheck.decide(label, limits, snapshot, ask,
                    properties.executors().defaultTimeBudget());
            maxOutputBytes = Math.min(maxOutputBytes, limits.maxOutputBytes());
            violations.addAll(byPolicy.violations());
            effective = byPolicy.effective();
            decision = label + " (" + pinned.get().ref().digest() + ") for repo '" + slug + "', requested by "
                    + (requestedBy == null ? "(not recorded)" : requestedBy) + ", and " + CEILING;
        } else {
            decision = "no operator policy pinned (a work order from an older producer): " + CEILING + " alone";
        }
        PolicyDecision byCeiling = PolicyCheck.decide(CEILING, properties.ceiling().limits(), snapshot, ask,
                properties.executors().defaultTimeBudget());
        violations.addAll(byCeiling.violations());
        hosts.add(new AllowedHosts.Source(CEILING, properties.ceiling().limits()));
        if (!violations.isEmpty()) {
            return new Outcome(null, "Refused by policy before starting anything: " + String.join("; ",
                    violations.stream().map(PolicyViolation::toString).toList()), decision);
        }
        ConstraintSnapshot.Constraints narrowed = PolicyCheck.narrow(properties.ceiling().limits(), effective,
                properties.executors().defaultTimeBudget());
        return new Outcome(request.withEffective(narrowed).withAllowedHosts(new AllowedHosts(hosts))
                .withMaxOutputBytes(maxOutputBytes), null, decision);
    }

    private @Nullable String webhookHost(ExecutionRequest request, String executor) {
        if (!executor.equals(dev.cwom.policy.ExecutorChoice.HTTP)) {
            return null;
        }
        try {
            URI url = HttpExecutor.webhookUrl(request.issue().value(), properties.http().webhookUrl());
            return url == null ? null : url.getHost() != null ? url.getHost() : url.toString();
        } catch (IllegalArgumentException e) {
            return null; // the http executor refuses a webhook that is not a URI, naming it
        }
    }
}
