package dev.cwom.ingest.dispatch;

import dev.cwom.events.PinnedInput;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What each work order carried: its pinned inputs (kind, id, version, digest, canonical JSON) under the work order's
 * event id, content-addressed ({@code ingest_pinned_objects} holds each canonical JSON once per digest). Recorded when
 * the work order is first built, or by a replay before it is; a work order is always built from its record once one
 * exists, so a republished work order carries exactly what the first one did and a replay exactly what its original
 * did. This is where a Run's Issue and Repo, as the Run saw them, are kept: the Run itself pins only its ContextPackets,
 * ConstraintSnapshot and DoctrineRefs.
 */
@Component
public class DispatchedInputs {

    private final JdbcClient jdbc;

    public DispatchedInputs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The inputs work order {@code eventId} carried, in its order; empty when none were recorded for it. */
    @Transactional(readOnly = true)
    public List<PinnedInput> of(String eventId) {
        return jdbc.sql("""
                        SELECT o.kind, o.id, o.version, o.digest, o.canonical_json
                        FROM ingest_work_order_inputs i JOIN ingest_pinned_objects o ON o.digest = i.digest
                        WHERE i.event_id = :event ORDER BY i.position""")
                .param("event", eventId)
                .query((rs, n) -> PinnedInput.newBuilder().setKind(rs.getString("kind")).setId(rs.getString("id"))
                        .setVersion(rs.getString("version")).setDigest(rs.getString("digest"))
                        .setCanonicalJson(rs.getString("canonical_json")).build())
                .list();
    }

    /**
     * Records {@code inputs} as what work order {@code eventId} carries, unless something is recorded for it already
     * (then that stays: the first record wins).
     *
     * @return what is recorded for it now
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<PinnedInput> record(String eventId, List<PinnedInput> inputs) {
        List<PinnedInput> recorded = of(eventId);
        if (!recorded.isEmpty()) {
            return recorded;
        }
        for (PinnedInput input : inputs) {
            jdbc.sql("""
                            INSERT INTO ingest_pinned_objects (digest, kind, id, version, canonical_json)
                            VALUES (:digest, :kind, :id, :version, :json) ON CONFLICT (digest) DO NOTHING""")
                    .param("digest", input.getDigest()).param("kind", input.getKind()).param("id", input.getId())
                    .param("version", input.getVersion()).param("json", input.getCanonicalJson()).update();
        }
        List<String> digests = new ArrayList<>();
        inputs.forEach(input -> digests.add(input.getDigest()));
        for (int position = 0; position < digests.size(); position++) {
            jdbc.sql("""
                            INSERT INTO ingest_work_order_inputs (event_id, position, digest)
                            VALUES (:event, :position, :digest) ON CONFLICT DO NOTHING""")
                    .param("event", eventId).param("position", position).param("digest", digests.get(position))
                    .update();
        }
        return List.copyOf(inputs);
    }
}
