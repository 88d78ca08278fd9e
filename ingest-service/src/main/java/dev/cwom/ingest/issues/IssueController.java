package dev.cwom.ingest.issues;

import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.QueryParams;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.ingest.web.Responses;
import dev.cwom.model.Issue;
import dev.cwom.model.IssueType;
import dev.cwom.model.Priority;
import dev.cwom.model.Status;
import dev.cwom.service.tracing.TraceHeaders;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/cwom/issues")
class IssueController {

    private final IssueService issues;
    private final RequestValidator validator;
    private final TraceHeaders traces;

    IssueController(IssueService issues, RequestValidator validator, TraceHeaders traces) {
        this.issues = issues;
        this.validator = validator;
        this.traces = traces;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Issue> createIssue(@RequestBody Issue issue) {
        return Responses.created(issues.create(issue, traces.currentTraceId()), "/cwom/issues");
    }

    @GetMapping("/{id}")
    IssueDetail getIssue(@PathVariable String id) {
        return issues.detail(id);
    }

    @GetMapping
    Page<Issue> listIssues(@RequestParam(name = "repo_id", required = false) @Nullable String repoId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(required = false) @Nullable String priority,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return issues.list(QueryParams.ulid("repo_id", repoId), QueryParams.enumValue("status", status, Status.class),
                QueryParams.enumValue("type", type, IssueType.class),
                QueryParams.enumValue("priority", priority, Priority.class), PageQuery.of(limit, cursor));
    }

    @PatchMapping(path = "/{id}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    Issue changeIssueStatus(@PathVariable String id, @RequestBody StatusChange change) {
        validator.validate(change);
        return issues.changeStatus(id, Objects.requireNonNull(change.status()), change.reason(),
                traces.currentTraceId());
    }
}
