package dev.cwom.ingest.contextpackets;

import dev.cwom.ingest.policy.PolicyGuard;
import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.ingest.store.References;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.json.CwomJson;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * ContextPackets: immutable, versioned per Issue ((issue, version) unique). Creating one links it to its Issue;
 * when it names a ConstraintSnapshot, that snapshot becomes the Issue's current one.
 */
@Service
public class ContextPacketService {

    private static final String DOCTRINE_REFS = "SELECT context_packet_id, doctrine_ref_id, role "
            + "FROM cwom_context_packet_doctrine_refs WHERE context_packet_id IN (:ids) "
            + "ORDER BY context_packet_id, doctrine_ref_id";

    private final CwomRows rows;
    private final References references;
    private final RequestValidator validator;
    private final PolicyGuard policy;

    public ContextPacketService(CwomRows rows, References references, RequestValidator validator,
            PolicyGuard policy) {
        this.rows = rows;
        this.references = references;
        this.validator = validator;
        this.policy = policy;
    }

    /** Creates the packet and answers it as stored (the REST API's 201 or 200). */
    @Transactional
    public Created<ContextPacket> create(ContextPacket packet) {
        Created<String> stored = store(packet);
        return new Created<>(get(stored.object()), stored.created());
    }

    /** {@link #create} answering only the id (and whether this call stored it), for writers that need no more. */
    @Transactional
    public Created<String> store(ContextPacket packet) {
        validator.validate(packet);
        references.requireExisting(References.check()
                .ref("$.for_issue", packet.forIssue(), Issue.KIND)
                .refs("$.doctrine_refs", packet.doctrineRefs(), DoctrineRef.KIND)
                .ref("$.constraint_snapshot", packet.constraintSnapshot(), ConstraintSnapshot.KIND));
        policy.admitContextPacket(packet);
        Created<String> result = rows.store(CwomTables.CONTEXT_PACKETS, packet, () -> versionTaken(packet));
        String id = result.object();
        if (result.created()) {
            String issueId = packet.forIssue().id();
            rows.link("cwom_issue_context_packets", "issue_id", issueId, "context_packet_id", Ref.to(ContextPacket.KIND, id));
            packet.doctrineRefs().forEach(ref ->
                    rows.link("cwom_context_packet_doctrine_refs", "context_packet_id", id, "doctrine_ref_id", ref));
            if (packet.constraintSnapshot() != null) {
                rows.link("cwom_issue_constraint_snapshots", "issue_id", issueId, "constraint_snapshot_id",
                        packet.constraintSnapshot());
            }
        }
        return result;
    }

    @Transactional(readOnly = true)
    public ContextPacket get(String id) {
        ObjectNode node = rows.findNode(CwomTables.CONTEXT_PACKETS, id)
                .orElseThrow(() -> ApiProblem.notFound(ContextPacket.KIND, id));
        return withDoctrineRefs(List.of(node)).getFirst();
    }

    /** The packets written for Issue {@code issueId} (404 when it does not exist), in id order. */
    @Transactional(readOnly = true)
    public Page<ContextPacket> forIssue(String issueId, @Nullable String version, PageQuery page) {
        rows.requireExists(CwomTables.ISSUES, issueId);
        List<ObjectNode> nodes = rows.listNodes(CwomTables.CONTEXT_PACKETS,
                CwomRows.filters("issue_id", issueId, "version", version), page.cursor(), page.limit() + 1);
        return Page.of(withDoctrineRefs(nodes), page, ContextPacket::id);
    }

    private List<ContextPacket> withDoctrineRefs(List<ObjectNode> nodes) {
        List<String> ids = nodes.stream().map(n -> n.get("id").asString()).toList();
        Map<String, List<Ref>> doctrine = rows.joinedRefs(DOCTRINE_REFS, DoctrineRef.KIND, ids);
        return nodes.stream().map(node -> rows.toObject(node, ContextPacket.class, n -> n.set("doctrine_refs",
                CwomJson.mapper().valueToTree(doctrine.getOrDefault(n.get("id").asString(), List.of()))))).toList();
    }

    private ApiProblem versionTaken(ContextPacket packet) {
        String existing = rows.jdbc().sql("SELECT id FROM cwom_context_packets WHERE issue_id = :issue AND version = :v")
                .param("issue", packet.forIssue().id()).param("v", packet.version()).query(String.class).optional()
                .orElse("another packet");
        return ApiProblem.conflict("VERSION_EXISTS", "Issue '" + packet.forIssue().id() + "' already has ContextPacket "
                + "version '" + packet.version() + "' ('" + existing + "'); packets are immutable: post a new version",
                Map.of("existing_id", existing, "version", packet.version()));
    }
}
