package dev.cwom.worker.executors;

import dev.cwom.json.Digests;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.CwomObject;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Repo;
import dev.cwom.model.validation.CwomValidationException;
import dev.cwom.model.validation.CwomValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.util.RawValue;

/**
 * Everything an executor may use: the run's id, the pinned and parsed inputs of its work order, and a fresh working
 * directory that belongs to this run alone.
 *
 * @param runId the Run's id
 * @param issue the Issue to work on
 * @param repo the Repo the Issue belongs to
 * @param contextPackets the briefings, in work-order order
 * @param constraints the operating envelope, when the Issue has one
 * @param doctrineRefs the rules that govern the work
 * @param workDir an empty directory for this run
 * @param effective the constraints the run executes under: the ConstraintSnapshot's narrowed by the pinned operator
 *     policy and the worker's ceiling; absent until {@link #withEffective} (then the snapshot's own apply)
 * @param allowedHosts the hosts the http executor may call: the pinned operator policy's and the worker's ceiling's;
 *     absent until {@link #withAllowedHosts} (then the http executor calls no host)
 * @param maxOutputBytes the largest total size of the run's outputs the operator policy and the ceiling allow
 *     ({@code max_output_bytes}); absent until {@link #withMaxOutputBytes} (then only the executor's own cap applies)
 */
public record ExecutionRequest(
        String runId,
        Pinned<Issue> issue,
        Pinned<Repo> repo,
        List<Pinned<ContextPacket>> contextPackets,
        @Nullable Pinned<ConstraintSnapshot> constraints,
        List<Pinned<DoctrineRef>> doctrineRefs,
        Path workDir,
        ConstraintSnapshot.@Nullable Constraints effective,
        @Nullable AllowedHosts allowedHosts,
        @Nullable Long maxOutputBytes) {

    public ExecutionRequest {
        contextPackets = List.copyOf(contextPackets);
        doctrineRefs = List.copyOf(doctrineRefs);
    }

    /**
     * Checks every input's digest against its canonical JSON, reads and validates it as its kind with schemas'
     * {@link CwomValidator} (the rules ingest applied: an Issue without {@code type} is refused here, not met as a
     * null by an executor) and assembles the request.
     *
     * @throws InvalidPinnedInputException when a digest does not match, an input is not a valid object of its kind,
     *     its id differs from the one it is listed under, the kind is unknown, or the Issue or Repo is missing or
     *     doubled
     */
    public static ExecutionRequest of(String runId, List<PinnedInput> inputs, Path workDir) {
        return of(runId, inputs, workDir, VerifiedInputs.none());
    }

    /**
     * {@link #of(String, List, Path)}, taking an input whose content hashes to its digest from {@code verified} when
     * it was read and validated before, and keeping what it reads there. Every digest is still checked on the bytes
     * that arrived: see {@link VerifiedInputs} for why that keeps a forged input out.
     */
    public static ExecutionRequest of(String runId, List<PinnedInput> inputs, Path workDir, VerifiedInputs verified) {
        Pinned<Issue> issue = null;
        Pinned<Repo> repo = null;
        Pinned<ConstraintSnapshot> constraints = null;
        List<Pinned<ContextPacket>> contextPackets = new ArrayList<>();
        List<Pinned<DoctrineRef>> doctrineRefs = new ArrayList<>();
        for (PinnedInput input : inputs) {
            switch (input.kind()) {
                case Issue.KIND -> issue = single(issue, parse(input, Issue.class, verified));
                case Repo.KIND -> repo = single(repo, parse(input, Repo.class, verified));
                case ConstraintSnapshot.KIND -> constraints = single(constraints, parse(input, ConstraintSnapshot.class, verified));
                case ContextPacket.KIND -> contextPackets.add(parse(input, ContextPacket.class, verified));
                case DoctrineRef.KIND -> doctrineRefs.add(parse(input, DoctrineRef.class, verified));
                default -> throw new InvalidPinnedInputException("Input " + input.id() + " has kind '" + input.kind()
                        + "', which a work order cannot carry; use Issue, Repo, ContextPacket, ConstraintSnapshot"
                        + " or DoctrineRef");
            }
        }
        if (issue == null || repo == null) {
            throw new InvalidPinnedInputException("The work order for run " + runId + " lacks its "
                    + (issue == null ? "Issue" : "Repo") + " input; a work order must carry its Issue and Repo");
        }
        return new ExecutionRequest(runId, issue, repo, contextPackets, constraints, doctrineRefs, workDir, null, null,
                null);
    }

    /** Every pinned reference: Issue, Repo, ContextPackets, ConstraintSnapshot, DoctrineRefs, in that order. */
    public List<Ref> pinnedRefs() {
        List<Ref> refs = new ArrayList<>();
        refs.add(issue.ref());
        refs.add(repo.ref());
        contextPackets.forEach(p -> refs.add(p.ref()));
        if (constraints != null) {
            refs.add(constraints.ref());
        }
        doctrineRefs.forEach(p -> refs.add(p.ref()));
        return refs;
    }

    /** The pinned objects themselves, keyed as in a work order (what the http executor sends its agent). */
    public Map<String, Object> pinnedObjects() {
        return keyedAsInAWorkOrder(Pinned::value);
    }

    /**
     * What {@code context.json} holds: {@link #pinnedObjects()} with each object as the exact canonical JSON it was
     * pinned as (its SHA-256 is the digest under {@code pinned}), written as it arrived instead of serialised again.
     */
    public Map<String, Object> pinnedContent() {
        return keyedAsInAWorkOrder(pinned -> new RawValue(pinned.canonicalJson()));
    }

    private Map<String, Object> keyedAsInAWorkOrder(Function<Pinned<?>, Object> object) {
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("run_id", runId);
        objects.put("issue", object.apply(issue));
        objects.put("repo", object.apply(repo));
        objects.put("context_packets", contextPackets.stream().map(object).toList());
        if (constraints != null) {
            objects.put("constraint_snapshot", object.apply(constraints));
        }
        objects.put("doctrine_refs", doctrineRefs.stream().map(object).toList());
        objects.put("pinned", pinnedRefs());
        return objects;
    }

    /** The limits the run executes under: the effective constraints once set, else the ConstraintSnapshot's. */
    public ConstraintSnapshot.@Nullable Constraints limits() {
        if (effective != null) {
            return effective;
        }
        return constraints == null ? null : constraints.value().constraints();
    }

    /** This request executing under {@code narrowed} (see {@link #effective}). */
    public ExecutionRequest withEffective(ConstraintSnapshot.Constraints narrowed) {
        return new ExecutionRequest(runId, issue, repo, contextPackets, constraints, doctrineRefs, workDir, narrowed,
                allowedHosts, maxOutputBytes);
    }

    /** This request with the hosts the http executor may call (see {@link #allowedHosts}). */
    public ExecutionRequest withAllowedHosts(AllowedHosts hosts) {
        return new ExecutionRequest(runId, issue, repo, contextPackets, constraints, doctrineRefs, workDir, effective,
                hosts, maxOutputBytes);
    }

    /** This request with the policy's and the ceiling's output cap (see {@link #maxOutputBytes}). */
    public ExecutionRequest withMaxOutputBytes(long limit) {
        return new ExecutionRequest(runId, issue, repo, contextPackets, constraints, doctrineRefs, workDir, effective,
                allowedHosts, limit);
    }

    private static <T extends CwomObject> Pinned<T> parse(PinnedInput input, Class<T> type, VerifiedInputs verified) {
        String actual = Digests.sha256(input.canonicalJson().getBytes(StandardCharsets.UTF_8));
        if (!actual.equals(input.digest())) {
            throw new InvalidPinnedInputException(input.kind() + " " + input.id() + " does not match its pinned digest:"
                    + " the work order says " + input.digest() + " but its content hashes to " + actual
                    + "; the content was changed after it was pinned, so it is not executed");
        }
        // Only now, with the bytes known to be the pinned ones, may an earlier reading of the same bytes stand in.
        T value = verified.find(type, actual);
        if (value == null) {
            value = read(input, type);
            verified.keep(type, actual, value, input.canonicalJson().length());
        }
        if (!Objects.equals(value.id(), input.id())) {
            throw new InvalidPinnedInputException(input.kind() + " listed as " + input.id() + " has id " + value.id()
                    + " in its content; a work order must list each input under its own id");
        }
        return new Pinned<>(value, input.ref(), input.canonicalJson());
    }

    private static <T extends CwomObject> T read(PinnedInput input, Class<T> type) {
        try {
            return CwomValidator.shared().read(input.canonicalJson(), type);
        } catch (CwomValidationException e) {
            throw new InvalidPinnedInputException(input.kind() + " " + input.id() + " is not a valid "
                    + type.getSimpleName() + " (" + String.join("; ", e.violations().stream()
                            .map(Object::toString).toList()) + "); the work order carries it as pinned, so it is"
                    + " not executed: correct the " + type.getSimpleName() + " and submit it again", e);
        }
    }

    private static <T extends CwomObject> Pinned<T> single(@Nullable Pinned<T> existing, Pinned<T> next) {
        if (existing != null) {
            throw new InvalidPinnedInputException("The work order carries two " + next.ref().kind() + " inputs ("
                    + existing.ref().id() + ", " + next.ref().id() + "); it must carry exactly one");
        }
        return next;
    }
}
