package dev.cwom.worker.executors;

import dev.cwom.json.CwomJson;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Issue;
import dev.cwom.model.Run;
import dev.cwom.model.RunMode;
import dev.cwom.policy.ExecutorChoice;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.trace.TraceRecorder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Hands the work to an agent: POSTs the work order as JSON to its webhook (Issue meta {@code webhook_url}, else
 * {@code cwom.worker.http.webhook-url}) with the time budget as timeout, and turns its JSON answer into outputs
 * (see {@link AgentAnswer}). A non-2xx answer, a timeout or an unreadable answer fail the run with {@code dependency}.
 */
public final class HttpExecutor implements Executor {

    public static final String NAME = "http";
    public static final String META_WEBHOOK_URL = ExecutorChoice.META_WEBHOOK_URL;
    private static final int BODY_EXCERPT = 300;

    private final WorkerProperties.Http settings;
    private final Duration defaultBudget;
    private final Clock clock;
    private final HttpClient client;

    public HttpExecutor(WorkerProperties.Http settings, Duration defaultBudget, Clock clock) {
        this.settings = settings;
        this.defaultBudget = defaultBudget;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunMode mode() {
        return RunMode.AGENT;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
        List<String> decisions = new ArrayList<>();
        URI webhook;
        try {
            webhook = webhook(request);
        } catch (IllegalArgumentException e) {
            return refuse(trace, decisions, FailureCategory.POLICY, e.getMessage());
        }
        TimeBudget budget = TimeBudget.of(request.limits(), defaultBudget, clock.instant());
        decisions.add("webhook " + webhook + ", time budget " + budget.source());
        if (budget.limit().isZero() || budget.limit().isNegative()) {
            return refuse(trace, decisions, FailureCategory.RUNTIME, "Time budget of " + budget.source()
                    + " is used up before the webhook could be called");
        }
        Map<String, Object> workOrder = new LinkedHashMap<>(request.pinnedObjects());
        workOrder.put("executor", NAME);
        workOrder.put("time_budget_seconds", budget.limit().toMillis() / 1000.0);
        HttpRequest post = HttpRequest.newBuilder(webhook)
                .timeout(budget.limit())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CwomJson.mapper().writeValueAsString(workOrder)))
                .build();
        trace.event("http.posted", Map.of("url", webhook.toString()));
        Instant started = clock.instant();
        HttpResponse<String> response;
        try {
            response = client.send(post, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return failed(trace, decisions, started, "Agent webhook " + webhook + " did not answer within the time"
                    + " budget of " + budget.source() + "; make the agent answer sooner or raise the budget");
        } catch (IOException e) {
            return failed(trace, decisions, started, "Agent webhook " + webhook + " cannot be reached: " + e
                    + "; check that the agent is running and the URL is right");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // HttpClient.send gives the exchange up when interrupted (JDK 16+ cancels it): the call is abandoned
            return ExecutionResult.refused(FailureCategory.RUNTIME, INTERRUPTED + " while waiting for agent webhook "
                    + webhook, decisions);
        }
        Duration took = Duration.between(started, clock.instant());
        trace.event("http.answered", Map.of("status", response.statusCode(), "seconds", took.toMillis() / 1000.0));
        trace.log("POST " + webhook + " -> " + response.statusCode() + " after " + TimeBudget.format(took));
        trace.log(excerpt(response.body(), 4000));
        if (response.statusCode() / 100 != 2) {
            return failed(trace, decisions, started, "Agent webhook " + webhook + " answered "
                    + response.statusCode() + ": " + excerpt(response.body(), BODY_EXCERPT));
        }
        try {
            return AgentAnswer.parse(response.body()).toResult(trace.artifactsDir(), decisions,
                    took.toMillis() / 1000.0);
        } catch (AgentAnswer.InvalidAnswerException e) {
            return failed(trace, decisions, started, "Agent webhook " + webhook + " answered 2xx, but "
                    + e.getMessage());
        }
    }

    /**
     * The webhook a run on {@code issue} calls: its meta {@code webhook_url}, else {@code fallback}.
     *
     * @throws IllegalArgumentException when the meta value is not a URI
     */
    public static @Nullable URI webhookUrl(Issue issue, @Nullable URI fallback) {
        Object fromIssue = issue.meta().get(META_WEBHOOK_URL);
        return fromIssue != null ? URI.create(fromIssue.toString()) : fallback;
    }

    private URI webhook(ExecutionRequest request) {
        URI url = webhookUrl(request.issue().value(), settings.webhookUrl());
        if (url == null) {
            throw new IllegalArgumentException("No agent webhook: the Issue has no meta." + META_WEBHOOK_URL
                    + " and cwom.worker.http.webhook-url is not set; set one of them");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("Agent webhook '" + url + "' is not an http(s) URL");
        }
        if (!settings.allowedUrlPrefixes().isEmpty()
                && settings.allowedUrlPrefixes().stream().noneMatch(p -> url.toString().startsWith(p))) {
            throw new IllegalArgumentException("Agent webhook '" + url + "' is not under any of"
                    + " cwom.worker.http.allowed-url-prefixes " + settings.allowedUrlPrefixes()
                    + "; use an allowed agent or extend the list");
        }
        return url;
    }

    private ExecutionResult failed(TraceRecorder trace, List<String> decisions, Instant started, String message) {
        trace.event("http.failed", Map.of("reason", message));
        trace.log("# " + message);
        decisions.add(message);
        double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
        return ExecutionResult.failure(FailureCategory.DEPENDENCY, message, List.of(), decisions,
                new Run.Cost(null, null, seconds));
    }

    private static ExecutionResult refuse(TraceRecorder trace, List<String> decisions, FailureCategory category,
            String message) {
        trace.event("http.refused", Map.of("category", category.value(), "reason", message));
        decisions.add(message);
        return ExecutionResult.refused(category, message, decisions);
    }

    private static String excerpt(String body, int max) {
        return body.length() <= max ? body : body.substring(0, max) + "...";
    }
}
