package dev.cwom.ingest.policy;

import dev.cwom.ingest.doctrine.DoctrineRefService;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.model.DoctrineRef;
import dev.cwom.policy.OperatorPolicy;
import dev.cwom.policy.PolicyDoctrine;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The versions of the operator's policy, each an immutable DoctrineRef {@code cwom.operator/policy} version
 * {@code 1}, {@code 2}, ...; the highest is in force. Publishing a document equal to the one in force changes nothing.
 * When nothing was ever stored, the first read stores {@link OperatorPolicy#SAFE} as version 1, so that every work
 * order can pin a version.
 */
@Service
public class PolicyStore {

    private static final Logger log = LoggerFactory.getLogger(PolicyStore.class);
    // one publisher at a time across ingest instances: version numbers are read, then the next is written
    private static final long PUBLISH_LOCK = 0x63776f6d706f6cL;

    private final CwomRows rows;
    private final DoctrineRefService doctrineRefs;

    public PolicyStore(CwomRows rows, DoctrineRefService doctrineRefs) {
        this.rows = rows;
        this.doctrineRefs = doctrineRefs;
    }

    /** What {@link #publish} did. */
    public record Published(PolicyVersion version, boolean created) {
    }

    /** The version in force. */
    @Transactional
    public PolicyVersion current() {
        return latest().orElseGet(() -> publish(OperatorPolicy.SAFE).version());
    }

    /** Stores {@code policy} as the next version, unless it says the same as the version in force. */
    @Transactional
    public Published publish(OperatorPolicy policy) {
        rows.jdbc().sql("SELECT pg_advisory_xact_lock(:key)").param("key", PUBLISH_LOCK).query(Object.class).list();
        Optional<PolicyVersion> inForce = latest();
        if (inForce.isPresent() && PolicyDoctrine.same(inForce.get().policy(), policy)) {
            return new Published(inForce.get(), false);
        }
        int next = inForce.map(v -> Integer.parseInt(v.version()) + 1).orElse(1);
        DoctrineRef stored = doctrineRefs.createOperatorPolicy(PolicyDoctrine.of(policy, next));
        log.info("Operator policy v{} is in force (DoctrineRef {})", next, stored.id());
        return new Published(new PolicyVersion(stored, policy), true);
    }

    private Optional<PolicyVersion> latest() {
        return rows.jdbc().sql("SELECT id FROM cwom_doctrine_refs WHERE namespace = :ns AND name = :name"
                        + " ORDER BY CAST(version AS integer) DESC LIMIT 1")
                .param("ns", PolicyDoctrine.NAMESPACE).param("name", PolicyDoctrine.NAME)
                .query(String.class).optional()
                .map(id -> rows.find(CwomTables.DOCTRINE_REFS, id, DoctrineRef.class).orElseThrow())
                .map(doctrine -> new PolicyVersion(doctrine, PolicyDoctrine.policyOf(doctrine).orElseThrow(() ->
                        new IllegalStateException("DoctrineRef " + doctrine.id() + " is in the operator policy's"
                                + " namespace but carries no meta.policy; it was not written by PolicyStore"))));
    }
}
