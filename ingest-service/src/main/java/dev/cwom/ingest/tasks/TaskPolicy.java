package dev.cwom.ingest.tasks;

import dev.cwom.ingest.IngestProperties;
import dev.cwom.ingest.policy.PolicyGuard;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.Actor;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The policy gate of {@code /tasks/enqueue}. Each refusal carries a stable code: 400 for a request that is wrong
 * ({@code INVALID_OPERATION}, {@code OBJECTIVE_LENGTH}, {@code TIME_BUDGET_TOO_LOW}, {@code TIME_BUDGET_TOO_HIGH}),
 * 403 for one that asks for more than is allowed ({@code REPO_NOT_ALLOWED}, {@code NETWORK_ACCESS_DENIED},
 * {@code SECRETS_ACCESS_DENIED}).
 */
@Component
public class TaskPolicy {

    private final IngestProperties.Tasks settings;
    private final PolicyGuard policy;

    public TaskPolicy(IngestProperties properties, PolicyGuard policy) {
        this.settings = properties.tasks();
        this.policy = policy;
    }

    /** The normalised task, or a refusal with its code. The request has passed Bean Validation already. */
    public Task admit(TaskRequest request) {
        TaskOperation operation = TaskOperation.of(Objects.requireNonNullElse(request.operation(), ""))
                .orElseThrow(() -> refuse(HttpStatus.BAD_REQUEST, "INVALID_OPERATION", "'" + request.operation()
                        + "' is not a task operation; use one of " + TaskOperation.acceptedValues()));
        String objective = request.objective() == null ? "" : request.objective().trim();
        if (objective.length() < settings.objectiveMinLength() || objective.length() > settings.objectiveMaxLength()) {
            throw refuse(HttpStatus.BAD_REQUEST, "OBJECTIVE_LENGTH", "The objective has " + objective.length()
                    + " characters; write " + settings.objectiveMinLength() + ".." + settings.objectiveMaxLength());
        }
        TaskRequest.Target target = Objects.requireNonNull(request.target());
        String repo = normalizeRepo(Objects.requireNonNull(target.repo()));
        if (!settings.allowedRepoPrefixes().isEmpty() && settings.allowedRepoPrefixes().stream()
                .map(prefix -> prefix.trim().toLowerCase(Locale.ROOT)).noneMatch(repo::startsWith)) {
            throw refuse(HttpStatus.FORBIDDEN, "REPO_NOT_ALLOWED", "Repo '" + repo + "' is not allowed for tasks; "
                    + "allowed prefixes: " + String.join(", ", settings.allowedRepoPrefixes())
                    + " (setting cwom.ingest.tasks.allowed-repo-prefixes)");
        }
        TaskRequest.Constraints constraints = request.constraints() == null
                ? new TaskRequest.Constraints(null, null, null) : request.constraints();
        int budget = constraints.timeBudgetSeconds() == null
                ? (int) settings.defaultTimeBudget().toSeconds() : constraints.timeBudgetSeconds();
        if (budget < settings.minTimeBudget().toSeconds()) {
            throw refuse(HttpStatus.BAD_REQUEST, "TIME_BUDGET_TOO_LOW", "time_budget_seconds " + budget
                    + " is below the minimum of " + settings.minTimeBudget().toSeconds() + " s");
        }
        // the largest budget, the network and secrets are the operator policy's to allow, for this repo and principal
        PolicyGuard.Limits limits = policy.limitsFor(repo);
        if (budget > limits.limits().maxTimeBudgetSeconds()) {
            throw refuse(HttpStatus.BAD_REQUEST, "TIME_BUDGET_TOO_HIGH", "time_budget_seconds " + budget
                    + " is above the maximum of " + limits.limits().maxTimeBudgetSeconds() + " s that "
                    + limits.source() + " allows for repo '" + repo + "'");
        }
        boolean network = Boolean.TRUE.equals(constraints.allowNetwork());
        if (network && !limits.limits().network().allowed()) {
            throw refuse(HttpStatus.FORBIDDEN, "NETWORK_ACCESS_DENIED", "Tasks on repo '" + repo + "' may not ask for"
                    + " network access (" + limits.source() + " denies it); send allow_network false (or leave it"
                    + " out), or ask the operator to allow it (PUT /cwom/admin/policy)");
        }
        boolean secrets = Boolean.TRUE.equals(constraints.allowSecrets());
        if (secrets && !limits.limits().secrets()) {
            throw refuse(HttpStatus.FORBIDDEN, "SECRETS_ACCESS_DENIED", "Tasks on repo '" + repo + "' may not ask for"
                    + " secrets (" + limits.source() + " denies them); send allow_secrets false (or leave it out), or"
                    + " ask the operator to allow them (PUT /cwom/admin/policy)");
        }
        String ref = target.ref() == null || target.ref().isBlank() ? settings.defaultRef() : target.ref().trim();
        TaskRequest.RequestedBy by = Objects.requireNonNull(request.requestedBy());
        Actor requester = new Actor(Objects.requireNonNull(by.kind()), Objects.requireNonNull(by.id()), by.label());
        return new Task(objective, operation, repo, ref, blankToNull(target.path()), budget, network, secrets,
                request.inputs() == null ? Map.of() : request.inputs(), requester);
    }

    /** Trimmed, lower-cased, without a trailing {@code .git} or slashes. */
    static String normalizeRepo(String repo) {
        String slug = repo.trim().toLowerCase(Locale.ROOT);
        while (slug.endsWith("/")) {
            slug = slug.substring(0, slug.length() - 1);
        }
        if (slug.endsWith(".git")) {
            slug = slug.substring(0, slug.length() - ".git".length());
        }
        return slug;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static ApiProblem refuse(HttpStatus status, String code, String detail) {
        return new ApiProblem(status, code, detail);
    }
}
