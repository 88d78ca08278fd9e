package dev.cwom.ingest.policy;

import dev.cwom.ingest.principals.Principals;
import dev.cwom.ingest.repos.RepoService;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.Issue;
import dev.cwom.policy.ExecutorChoice;
import dev.cwom.policy.PolicyCheck;
import dev.cwom.policy.PolicyDecision;
import dev.cwom.policy.PolicyLimits;
import dev.cwom.policy.PolicyViolation;
import dev.cwom.policy.RunAsk;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The operator's policy at submission. Called inside the transaction of the write it guards, so a refusal (422
 * problem+json, code = the first violation's {@code POLICY_*} code, every violation listed) rolls back everything the
 * request wrote: nothing is stored half. Checked: an Issue becoming ready (its executor, as the Issue's meta names it
 * or by the default per type; its ContextPackets' commands; its ConstraintSnapshot; its webhook host when its meta
 * names one), and a ContextPacket written for an Issue (its commands, the snapshot it names).
 */
@Component
public class PolicyGuard {

    private final PolicyStore store;
    private final RepoService repos;
    private final CwomRows rows;

    public PolicyGuard(PolicyStore store, RepoService repos, CwomRows rows) {
        this.store = store;
        this.repos = repos;
        this.rows = rows;
    }

    /**
     * Who made the Issue ready, and under which policy version.
     *
     * @param requestedBy the principal
     * @param policy the version in force, pinned into the work order
     */
    public record Admission(String requestedBy, PolicyVersion policy) {
    }

    /** Admits Issue {@code issue} becoming ready, or throws the 422. */
    public Admission admitReady(Issue issue, List<ContextPacket> packets, @Nullable ConstraintSnapshot snapshot) {
        return admitReady(issue, packets, snapshot, "Issue " + issue.id() + " cannot become ready");
    }

    /**
     * Admits work on Issue {@code issue} with these inputs, or throws the 422 whose detail starts with {@code what}:
     * also a replay, whose inputs are the ones its original carried.
     */
    public Admission admitReady(Issue issue, List<ContextPacket> packets, @Nullable ConstraintSnapshot snapshot,
            String what) {
        PolicyVersion policy = store.current();
        String principal = Principals.current();
        String executor = ExecutorChoice.of(issue, ExecutorChoice.DEFAULT_BY_TYPE);
        RunAsk ask = new RunAsk(executor, RunAsk.toolsOf(packets), webhookHost(issue));
        enforce(policy, decide(policy, issue, principal, snapshot, ask), what);
        return new Admission(principal, policy);
    }

    /** Admits a ContextPacket for its Issue: its commands and the snapshot it names, whatever the Issue's status. */
    public void admitContextPacket(ContextPacket packet) {
        Issue issue = rows.find(CwomTables.ISSUES, packet.forIssue().id(), Issue.class)
                .orElseThrow(() -> ApiProblem.notFound(Issue.KIND, packet.forIssue().id()));
        ConstraintSnapshot snapshot = packet.constraintSnapshot() == null ? null : rows.find(
                CwomTables.CONSTRAINT_SNAPSHOTS, packet.constraintSnapshot().id(), ConstraintSnapshot.class)
                .orElse(null);
        PolicyVersion policy = store.current();
        RunAsk ask = new RunAsk(null, RunAsk.toolsOf(List.of(packet)), null);
        enforce(policy, decide(policy, issue, Principals.current(), snapshot, ask),
                "The ContextPacket for Issue " + issue.id() + " asks beyond the policy");
    }

    /** The limits for work on Repo {@code repoSlug} asked for by the current principal (the task bridge's gate). */
    public Limits limitsFor(String repoSlug) {
        PolicyVersion policy = store.current();
        return new Limits(policy.policy().limitsFor(repoSlug, Principals.current()), policy.label());
    }

    /**
     * @param limits the effective limits
     * @param source how messages name them
     */
    public record Limits(PolicyLimits limits, String source) {
    }

    private PolicyDecision decide(PolicyVersion policy, Issue issue, String principal,
            @Nullable ConstraintSnapshot snapshot, RunAsk ask) {
        String slug = repos.get(issue.repo().id()).slug();
        return PolicyCheck.decide(policy.label(), policy.policy().limitsFor(slug, principal), snapshot, ask, null);
    }

    private static void enforce(PolicyVersion policy, PolicyDecision decision, String what) {
        if (decision.allowed()) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("violations", decision.violations().stream()
                .map(v -> Map.of("code", v.code(), "message", v.message())).toList());
        properties.put("policy_version", policy.version());
        properties.put("policy_digest", policy.digest());
        PolicyViolation first = decision.violations().getFirst();
        throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, first.code(), what + ": " + decision.describe(),
                properties);
    }

    private static @Nullable String webhookHost(Issue issue) {
        if (!(issue.meta().get(ExecutorChoice.META_WEBHOOK_URL) instanceof String url)) {
            return null;
        }
        try {
            String host = URI.create(url).getHost();
            return host == null ? url : host;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
