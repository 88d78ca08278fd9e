package dev.cwom.model.validation;

import dev.cwom.model.Artifact;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.CwomObject;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Repo;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The spec's rules that span fields, which Bean Validation annotations cannot express on a single field. */
final class CrossFieldRules {

    /** duration_s may differ from ended_at - started_at by the millisecond rounding of the two timestamps. */
    private static final double DURATION_TOLERANCE_S = 0.001 + 1e-9;

    private CrossFieldRules() {
    }

    static List<Violation> check(CwomObject object) {
        List<Violation> out = new ArrayList<>();
        JsonPath root = JsonPath.root(object.getClass());
        notBefore(out, root.field("updatedAt"), object.updatedAt(), "created_at", object.createdAt(),
                "an object cannot be updated before it was created");
        switch (object) {
            case Repo repo -> { }
            case Issue issue -> issue(out, root, issue);
            case ContextPacket packet -> contextPacket(out, root, packet);
            case ConstraintSnapshot snapshot -> { }
            case DoctrineRef doctrine -> refs(out, root.field("applicability").field("repoRefs"),
                    doctrine.applicability().repoRefs(), Repo.KIND);
            case Run run -> run(out, root, run);
            case Artifact artifact -> {
                ref(out, root.field("producedBy"), artifact.producedBy(), Run.KIND);
                ref(out, root.field("forIssue"), artifact.forIssue(), Issue.KIND);
            }
        }
        return out;
    }

    private static void issue(List<Violation> out, JsonPath root, Issue issue) {
        ref(out, root.field("repo"), issue.repo(), Repo.KIND);
        ref(out, root.field("constraints"), issue.constraints(), ConstraintSnapshot.KIND);
        refs(out, root.field("contextPackets"), issue.contextPackets(), ContextPacket.KIND);
        refs(out, root.field("doctrineRefs"), issue.doctrineRefs(), DoctrineRef.KIND);
        refs(out, root.field("runs"), issue.runs(), Run.KIND);
        JsonPath relationships = root.field("relationships");
        ref(out, relationships.field("parent"), issue.relationships().parent(), Issue.KIND);
        refs(out, relationships.field("blocks"), issue.relationships().blocks(), Issue.KIND);
        refs(out, relationships.field("blockedBy"), issue.relationships().blockedBy(), Issue.KIND);
        refs(out, relationships.field("duplicates"), issue.relationships().duplicates(), Issue.KIND);
    }

    private static void contextPacket(List<Violation> out, JsonPath root, ContextPacket packet) {
        ref(out, root.field("forIssue"), packet.forIssue(), Issue.KIND);
        refs(out, root.field("doctrineRefs"), packet.doctrineRefs(), DoctrineRef.KIND);
        ref(out, root.field("constraintSnapshot"), packet.constraintSnapshot(), ConstraintSnapshot.KIND);
    }

    private static void run(List<Violation> out, JsonPath root, Run run) {
        ref(out, root.field("forIssue"), run.forIssue(), Issue.KIND);
        ref(out, root.field("repo"), run.repo(), Repo.KIND);
        JsonPath inputs = root.field("inputs");
        refs(out, inputs.field("contextPackets"), run.inputs().contextPackets(), ContextPacket.KIND);
        refs(out, inputs.field("doctrineRefs"), run.inputs().doctrineRefs(), DoctrineRef.KIND);
        ref(out, inputs.field("constraintSnapshot"), run.inputs().constraintSnapshot(), ConstraintSnapshot.KIND);
        refs(out, root.field("outputs").field("artifacts"), run.outputs().artifacts(), Artifact.KIND);

        if (run.status() == Status.FAILED && run.failure() == null) {
            out.add(new Violation(root.field("failure").toString(),
                    "is missing although status is 'failed'; say why with failure {category, message}"));
        } else if (run.status() != Status.FAILED && run.failure() != null) {
            out.add(new Violation(root.field("failure").toString(), "is given although status is '"
                    + run.status().value() + "'; only a failed Run has a failure: remove it or set status to 'failed'"));
        }

        Run.Telemetry telemetry = run.telemetry();
        JsonPath t = root.field("telemetry");
        Instant started = telemetry.startedAt();
        Instant ended = telemetry.endedAt();
        if (ended != null && started == null) {
            out.add(new Violation(t.field("startedAt").toString(),
                    "is missing although ended_at is given; a Run that ended must have started"));
        }
        notBefore(out, t.field("endedAt"), ended, "started_at", started, "a Run cannot end before it starts");
        Double duration = telemetry.durationS();
        if (started != null && ended != null && duration != null && !ended.isBefore(started)) {
            double actual = Duration.between(started, ended).toMillis() / 1000.0;
            if (Math.abs(duration - actual) > DURATION_TOLERANCE_S) {
                out.add(new Violation(t.field("durationS").toString(), "is " + duration
                        + " but ended_at - started_at is " + actual + " s; they must agree to the millisecond"));
            }
        }
    }

    private static void notBefore(List<Violation> out, JsonPath path, @Nullable Instant later, String earlierName,
            @Nullable Instant earlier, String why) {
        if (later != null && earlier != null && later.isBefore(earlier)) {
            out.add(new Violation(path.toString(), "is " + later + ", before " + earlierName + " " + earlier
                    + "; " + why));
        }
    }

    private static void refs(List<Violation> out, JsonPath path, List<Ref> refs, String expectedKind) {
        for (int i = 0; i < refs.size(); i++) {
            ref(out, path.index(i), refs.get(i), expectedKind);
        }
    }

    private static void ref(List<Violation> out, JsonPath path, @Nullable Ref ref, String expectedKind) {
        // A missing or blank kind is reported by Bean Validation already.
        if (ref != null && ref.kind() != null && !ref.kind().isBlank() && !ref.kind().equals(expectedKind)) {
            out.add(new Violation(path.field("kind").toString(), "is '" + ref.kind() + "' but this field refers to a "
                    + expectedKind + "; set kind to '" + expectedKind + "'"));
        }
    }
}
