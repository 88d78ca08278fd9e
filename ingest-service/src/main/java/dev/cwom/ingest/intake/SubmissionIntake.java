package dev.cwom.ingest.intake;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.ingest.constraints.ConstraintSnapshotService;
import dev.cwom.ingest.contextpackets.ContextPacketService;
import dev.cwom.ingest.doctrine.DoctrineRefService;
import dev.cwom.ingest.issues.IssueService;
import dev.cwom.ingest.principals.Principals;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.repos.RepoService;
import dev.cwom.ingest.tasks.TaskRequest;
import dev.cwom.ingest.tasks.TaskService;
import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
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
import dev.cwom.model.validation.Violation;
import dev.cwom.service.tracing.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores one {@link IssueSubmitted} in one transaction through the same services the REST API uses (so validation,
 * references, idempotency and the outbox are one piece of code for both paths): the Repo when given and new by slug,
 * inline constraint snapshot and doctrine refs, the Issue linked to them and to the referenced ids, then inline
 * context packets for it; or a task through the task bridge.
 *
 * <p>A producer's retry is recognised by event id, or by issue id with the same content, and changes nothing; the
 * same issue id with other content is a CONFLICT. Every permanent problem is an {@link IntakeRejection}; anything
 * else (the database going away) propagates and is retried.
 */
@Service
public class SubmissionIntake {

    private static final Logger log = LoggerFactory.getLogger(SubmissionIntake.class);

    private final JdbcClient jdbc;
    private final RepoService repos;
    private final IssueService issues;
    private final ContextPacketService contextPackets;
    private final ConstraintSnapshotService constraintSnapshots;
    private final DoctrineRefService doctrineRefs;
    private final TaskService tasks;
    private final TraceHeaders traces;

    public SubmissionIntake(JdbcClient jdbc, RepoService repos, IssueService issues,
            ContextPacketService contextPackets, ConstraintSnapshotService constraintSnapshots,
            DoctrineRefService doctrineRefs, TaskService tasks, TraceHeaders traces) {
        this.jdbc = jdbc;
        this.repos = repos;
        this.issues = issues;
        this.contextPackets = contextPackets;
        this.constraintSnapshots = constraintSnapshots;
        this.doctrineRefs = doctrineRefs;
        this.tasks = tasks;
        this.traces = traces;
    }

    /** What a submission led to. */
    public record Outcome(@Nullable String issueId, @Nullable String taskId, boolean duplicate) {
    }

    /**
     * Stores the submission, or recognises it as a retry.
     *
     * @param source where it was read, {@code topic-partition@offset}, kept for operators
     * @throws IntakeRejection when it can never be stored as it is
     */
    @Transactional
    public Outcome store(IssueSubmitted event, String source) {
        Optional<Outcome> seen = byEventId(event.getEventId());
        if (seen.isPresent()) {
            return seen.get();
        }
        try {
            // the producer as IssueSubmitted names it: Kafka intake has no authentication of its own yet
            return Principals.as(Principals.kafkaProducer(event.getProducer()), () -> storeNew(event, source));
        } catch (ApiProblem problem) {
            throw rejection(problem);
        } catch (CwomValidationException invalid) {
            throw new IntakeRejection("VALIDATION_FAILED", "The " + invalid.kind() + " is invalid: "
                    + describe(invalid.violations()), details(invalid.violations()));
        }
    }

    private Outcome storeNew(IssueSubmitted event, String source) {
        boolean hasIssue = event.getIssueJson() != null;
        boolean hasTask = event.getTaskJson() != null;
        if (hasIssue == hasTask) {
            throw new IntakeRejection("VALIDATION_FAILED", "An IssueSubmitted carries exactly one of issue_json and "
                    + "task_json; this one has " + (hasIssue ? "both" : "neither"), Map.of("$", "issue_json|task_json"));
        }
        String digest = contentDigest(event);
        if (hasTask) {
            TaskRequest request = readBody("task_json", event.getTaskJson(), TaskRequest.class);
            String taskId = tasks.enqueue(request, traces.currentTraceId()).task().id();
            record(event.getEventId(), null, taskId, null, digest, source);
            return new Outcome(null, taskId, false);
        }
        ObjectNode issueNode = object("issue_json", event.getIssueJson());
        String issueKey = issueNode.path("id").isString() ? issueNode.get("id").asString() : null;
        if (issueKey != null) {
            Optional<String> earlier = jdbc.sql("SELECT content_digest FROM intake_submissions WHERE issue_key = :key "
                    + "ORDER BY stored_at LIMIT 1").param("key", issueKey).query(String.class).optional();
            if (earlier.isPresent()) {
                if (!earlier.get().equals(digest)) {
                    throw new IntakeRejection("CONFLICT", "Issue '" + issueKey + "' was submitted before with other "
                            + "content; resend exactly the same submission, or submit the new one under a new issue id",
                            Map.of("issue_id", issueKey));
                }
                record(event.getEventId(), issueKey, null, issueKey, digest, source);
                return new Outcome(issueKey, null, true);
            }
        }
        if (event.getRepoJson() != null) {
            issueNode.set("repo", json(Ref.to(Repo.KIND, repoId(event.getRepoJson()))));
        }
        if (event.getConstraintSnapshotJson() != null) {
            String snapshotId = constraintSnapshots.store(read("constraint_snapshot_json",
                    event.getConstraintSnapshotJson(), ConstraintSnapshot.class)).object();
            issueNode.set("constraints", json(Ref.to(ConstraintSnapshot.KIND, snapshotId)));
        } else if (event.getConstraintSnapshotId() != null) {
            issueNode.set("constraints", json(Ref.to(ConstraintSnapshot.KIND, event.getConstraintSnapshotId())));
        }
        ArrayNode doctrine = refs(issueNode, "doctrine_refs");
        for (int i = 0; i < event.getDoctrineRefsJson().size(); i++) {
            DoctrineRef stored = doctrineRefs.create(read("doctrine_refs_json[" + i + "]",
                    event.getDoctrineRefsJson().get(i), DoctrineRef.class)).object();
            doctrine.add(json(Ref.to(DoctrineRef.KIND, Objects.requireNonNull(stored.id()))));
        }
        event.getDoctrineRefIds().forEach(id -> doctrine.add(json(Ref.to(DoctrineRef.KIND, id))));
        ArrayNode packets = refs(issueNode, "context_packets");
        event.getContextPacketIds().forEach(id -> packets.add(json(Ref.to(ContextPacket.KIND, id))));

        Issue issue = read("issue_json", issueNode.toString(), Issue.class);
        // ids only from here on: nothing is read back (the relay reads it all when it builds the work order)
        String issueId = issues.store(issue, traces.currentTraceId()).object();
        for (int i = 0; i < event.getContextPacketsJson().size(); i++) {
            ObjectNode packet = object("context_packets_json[" + i + "]", event.getContextPacketsJson().get(i));
            if (!packet.has("for_issue")) {
                packet.set("for_issue", json(Ref.to(Issue.KIND, issueId)));
            }
            contextPackets.store(read("context_packets_json[" + i + "]", packet.toString(), ContextPacket.class));
        }
        record(event.getEventId(), issueId, null, issueKey, digest, source);
        log.info("Stored Issue {} from {} (event {}, trace {})", issueId, source, event.getEventId(),
                traces.currentTraceId());
        return new Outcome(issueId, null, false);
    }

    /** The id of the Repo with the submitted one's slug, stored now when there is none. */
    private String repoId(String repoJson) {
        Repo repo = read("repo_json", repoJson, Repo.class);
        Optional<String> existing = jdbc.sql("SELECT id FROM cwom_repos WHERE slug = :slug")
                .param("slug", repo.slug()).query(String.class).optional();
        return existing.orElseGet(() -> repos.store(repo).object());
    }

    private Optional<Outcome> byEventId(String eventId) {
        return jdbc.sql("SELECT issue_id, task_id FROM intake_submissions WHERE event_id = :id").param("id", eventId)
                .query((rs, n) -> new Outcome(rs.getString(1), rs.getString(2), true)).optional();
    }

    private void record(String eventId, @Nullable String issueId, @Nullable String taskId, @Nullable String issueKey,
            String digest, String source) {
        jdbc.sql("""
                        INSERT INTO intake_submissions (event_id, issue_id, task_id, issue_key, content_digest, source)
                        VALUES (:eventId, :issueId, :taskId, :issueKey, :digest, :source)""")
                .param("eventId", eventId).param("issueId", issueId).param("taskId", taskId)
                .param("issueKey", issueKey).param("digest", digest).param("source", source).update();
    }

    /** The digest of what was submitted, event id and time aside: equal for a producer's retry. */
    private static String contentDigest(IssueSubmitted event) {
        Map<String, @Nullable Object> content = new LinkedHashMap<>();
        content.put("repo_json", event.getRepoJson());
        content.put("issue_json", event.getIssueJson());
        content.put("task_json", event.getTaskJson());
        content.put("context_packets_json", event.getContextPacketsJson());
        content.put("context_packet_ids", event.getContextPacketIds());
        content.put("constraint_snapshot_json", event.getConstraintSnapshotJson());
        content.put("constraint_snapshot_id", event.getConstraintSnapshotId());
        content.put("doctrine_refs_json", event.getDoctrineRefsJson());
        content.put("doctrine_ref_ids", event.getDoctrineRefIds());
        return Digests.sha256(CanonicalJson.write(content).getBytes(StandardCharsets.UTF_8));
    }

    private static <T extends CwomObject> T read(String field, String json, Class<T> type) {
        object(field, json);
        try {
            return CwomValidator.shared().read(json, type);
        } catch (CwomValidationException invalid) {
            throw new IntakeRejection("VALIDATION_FAILED", field + " is not a valid " + type.getSimpleName() + ": "
                    + describe(invalid.violations()), prefixed(field, invalid.violations()));
        }
    }

    private static <T> T readBody(String field, String json, Class<T> type) {
        object(field, json);
        T body;
        try {
            body = CwomJson.mapper().readValue(json, type);
        } catch (JacksonException e) {
            Violation violation = CwomValidator.violationOf(e);
            throw new IntakeRejection("VALIDATION_FAILED", field + " cannot be read as a task request: "
                    + describe(List.of(violation)), prefixed(field, List.of(violation)));
        }
        return body;
    }

    /** The field's JSON as an object; MALFORMED_JSON when it is not JSON at all or not an object. */
    private static ObjectNode object(String field, String json) {
        JsonNode node;
        try {
            node = CwomJson.mapper().readTree(json);
        } catch (JacksonException e) {
            throw new IntakeRejection("MALFORMED_JSON", field + " is not JSON: " + e.getOriginalMessage()
                    + "; send the object as JSON text", Map.of("field", field));
        }
        if (node == null || !node.isObject()) {
            throw new IntakeRejection("MALFORMED_JSON", field + " is not a JSON object; send the object as JSON text",
                    Map.of("field", field));
        }
        return (ObjectNode) node;
    }

    private static ArrayNode refs(ObjectNode issue, String field) {
        JsonNode existing = issue.get(field);
        if (existing instanceof ArrayNode array) {
            return array;
        }
        if (existing != null && !existing.isNull()) {
            throw new IntakeRejection("VALIDATION_FAILED", "issue_json." + field + " must be an array of Refs",
                    Map.of("issue_json$." + field, "must be an array"));
        }
        return issue.putArray(field);
    }

    private static JsonNode json(Ref ref) {
        return CwomJson.mapper().valueToTree(ref);
    }

    private static IntakeRejection rejection(ApiProblem problem) {
        String reason = switch (problem.code()) {
            case "VALIDATION_FAILED" -> "VALIDATION_FAILED";
            case "UNKNOWN_REFERENCE", "NOT_FOUND" -> "UNKNOWN_REFERENCE";
            default -> problem.status().value() == 409 ? "CONFLICT" : problem.code();
        };
        Map<String, String> details = new LinkedHashMap<>();
        details.put("code", problem.code());
        Map<String, Object> properties = problem.toProblemDetail(null).getProperties();
        Object errors = properties == null ? null : properties.get("errors");
        if (errors instanceof List<?> list) {
            list.stream().filter(Violation.class::isInstance).map(Violation.class::cast)
                    .forEach(v -> details.put(v.path(), v.message()));
        }
        return new IntakeRejection(reason, Objects.requireNonNullElse(problem.getMessage(), problem.code()), details);
    }

    private static String describe(List<Violation> violations) {
        return String.join("; ", violations.stream().map(v -> v.path() + " " + v.message()).toList());
    }

    private static Map<String, String> details(List<Violation> violations) {
        Map<String, String> details = new LinkedHashMap<>();
        violations.forEach(v -> details.put(v.path(), v.message()));
        return details;
    }

    /** The violations by JSON path within the field, and which field of the event they are in. */
    private static Map<String, String> prefixed(String field, List<Violation> violations) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("field", field);
        violations.forEach(v -> details.put(v.path(), v.message()));
        return details;
    }
}
