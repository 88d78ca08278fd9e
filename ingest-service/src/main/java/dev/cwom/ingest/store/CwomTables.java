package dev.cwom.ingest.store;

import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tables of the five kinds ingest owns (see db/ingest/V1__intent_tables.sql). Related lists kept in join tables
 * (an Issue's context packets, doctrine refs and constraint snapshot; a ContextPacket's doctrine refs) are not
 * columns here: the services read them from the join tables. Runs and Artifacts are the sink's: ingest reads them
 * through the sink contract's views ({@code dev.cwom.ingest.sinkcontract}).
 */
public final class CwomTables {

    public static final CwomTable REPOS = CwomTable.named("cwom_repos", Repo.KIND)
            .text("name", "slug").jsonb("source").text("default_branch", "visibility")
            .jsonb("owners", "policy", "links").build(true);

    public static final CwomTable ISSUES = CwomTable.named("cwom_issues", Issue.KIND)
            .ref("repo", "repo_id", Repo.KIND).text("title", "description", "type", "priority", "status")
            .jsonb("assignees", "watchers", "acceptance", "relationships").build(true);

    public static final CwomTable CONTEXT_PACKETS = CwomTable.named("cwom_context_packets", ContextPacket.KIND)
            .ref("for_issue", "issue_id", Issue.KIND).text("version", "summary")
            .jsonb("inputs", "assumptions", "open_questions").text("instructions")
            .ref("constraint_snapshot", "constraint_snapshot_id", ConstraintSnapshot.KIND).build(true);

    public static final CwomTable CONSTRAINT_SNAPSHOTS = CwomTable.named("cwom_constraint_snapshots",
            ConstraintSnapshot.KIND).text("scope").timestamp("captured_at").jsonb("owner", "constraints").build(true);

    public static final CwomTable DOCTRINE_REFS = CwomTable.named("cwom_doctrine_refs", DoctrineRef.KIND)
            .text("namespace", "name", "version", "type", "priority", "statement", "rationale")
            .jsonb("links", "applicability").build(true);

    private static final Map<String, CwomTable> BY_KIND = List.of(REPOS, ISSUES, CONTEXT_PACKETS, CONSTRAINT_SNAPSHOTS,
            DOCTRINE_REFS).stream().collect(Collectors.toUnmodifiableMap(CwomTable::kind,
            Function.identity()));

    private CwomTables() {
    }

    /** The table of a kind, e.g. {@code "Issue"}; null for a name that is not a CWOM kind. */
    public static @org.jspecify.annotations.Nullable CwomTable forKind(String kind) {
        return BY_KIND.get(kind);
    }

    /** Whether {@code kind} names one of the five kinds stored here. */
    public static boolean isKind(String kind) {
        return BY_KIND.containsKey(kind);
    }
}
