package dev.cwom.policy;

import dev.cwom.json.CanonicalJson;
import dev.cwom.model.DoctrinePriority;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.DoctrineType;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How an {@link OperatorPolicy} travels as CWOM doctrine: a DoctrineRef {@code cwom.operator/policy}, type
 * {@code policy}, priority {@code must}, version {@code 1}, {@code 2}, ..., with a human summary as its statement
 * and the whole document (defaults spelled out) in its meta {@code policy}, so that its canonical JSON, and hence
 * the digest a work order pins, covers the document.
 */
public final class PolicyDoctrine {

    public static final String NAMESPACE = "cwom.operator";
    public static final String NAME = "policy";
    /** The DoctrineRef meta key holding the policy document. */
    public static final String META_POLICY = "policy";

    private PolicyDoctrine() {
    }

    /** Whether {@code doctrine} is a version of the operator's policy. */
    public static boolean isPolicy(DoctrineRef doctrine) {
        return NAMESPACE.equals(doctrine.namespace()) && NAME.equals(doctrine.name())
                && doctrine.type() == DoctrineType.POLICY;
    }

    /** The DoctrineRef of version {@code version} of {@code policy}, not yet stored (no id). */
    public static DoctrineRef of(OperatorPolicy policy, int version) {
        return new DoctrineRef(null, DoctrineRef.KIND, NAMESPACE, NAME, Integer.toString(version), DoctrineType.POLICY,
                DoctrinePriority.MUST, summary(policy), "The operator's ceiling on what any submission may ask for; a"
                        + " submitter can only narrow it. Enforced at submission and again by the worker.",
                List.of(), null, List.of("operator-policy"), Map.of(META_POLICY, policy.toMap()), null, null);
    }

    /**
     * The newest version of the operator policy among {@code items} (e.g. a work order's pinned DoctrineRefs), each
     * seen as a DoctrineRef through {@code doctrine}; empty when none is the policy.
     */
    public static <T> Optional<T> newest(Collection<T> items, Function<T, DoctrineRef> doctrine) {
        return items.stream().filter(item -> isPolicy(doctrine.apply(item)))
                .max(Comparator.comparingInt(item -> Integer.parseInt(doctrine.apply(item).version())));
    }

    /** The policy a DoctrineRef carries, if it is one. */
    public static Optional<OperatorPolicy> policyOf(DoctrineRef doctrine) {
        if (!isPolicy(doctrine) || !(doctrine.meta().get(META_POLICY) instanceof Map<?, ?> document)) {
            return Optional.empty();
        }
        return Optional.of(OperatorPolicy.fromMap(document));
    }

    /** Whether two policies say the same, defaults spelled out. */
    public static boolean same(OperatorPolicy a, OperatorPolicy b) {
        return CanonicalJson.write(a.toMap()).equals(CanonicalJson.write(b.toMap()));
    }

    /** One paragraph that a person reads in GET /cwom/doctrine-refs. */
    static String summary(OperatorPolicy policy) {
        return "Operator policy: executors " + policy.executors() + "; tools allowed "
                + policy.tools().allowed() + ", blocked " + policy.tools().blocked() + "; network "
                + (policy.network().allowed() ? "allowed" : "denied") + " for commands, http hosts "
                + policy.network().hosts() + "; time budget at most " + policy.maxTimeBudgetSeconds() + " s; secrets "
                + (Boolean.TRUE.equals(policy.secrets()) ? "allowed" : "denied") + "; outputs at most "
                + policy.maxOutputBytes() + " bytes; " + policy.repos().size() + " repo and "
                + policy.principals().size() + " principal override(s).";
    }
}
