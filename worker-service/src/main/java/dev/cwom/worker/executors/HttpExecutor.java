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
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hands the work to an agent: POSTs the work order as JSON to its webhook (Issue meta {@code webhook_url}, else
 * {@code cwom.worker.http.webhook-url}) and turns its JSON answer into outputs (see {@link AgentAnswer}).
 *
 * <p>The webhook is untrusted: each URL, the first and every redirect's, is checked by {@link Destination} against the
 * run's {@link AllowedHosts} before anything connects (a refusal fails the run with {@code policy}), and the call goes
 * to the address that was checked. The time budget is one deadline for the whole exchange, body included
 * ({@code runtime} when it passes), and the answer is read only up to {@code cwom.worker.http.max-answer-size}.
 * An unreachable agent, a non-2xx answer or an answer outside the contract fail the run with {@code dependency}.
 */
public final class HttpExecutor implements Executor {

    public static final String NAME = "http";
    public static final String META_WEBHOOK_URL = ExecutorChoice.META_WEBHOOK_URL;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** How much of a non-2xx answer is read, and how much of it reaches the failure message. */
    private static final int ERROR_READ = 4096;
    private static final int ERROR_EXCERPT = 300;
    /** The longest failure message; whatever an agent sends, {@code Run.failure} stays short. */
    private static final int MAX_MESSAGE = 1500;

    private final WorkerProperties.Http settings;
    private final Duration defaultBudget;
    private final Clock clock;
    private final SSLSocketFactory tls;

    public HttpExecutor(WorkerProperties.Http settings, Duration defaultBudget, Clock clock) {
        this(settings, defaultBudget, clock, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    HttpExecutor(WorkerProperties.Http settings, Duration defaultBudget, Clock clock, SSLSocketFactory tls) {
        this.settings = settings;
        this.defaultBudget = defaultBudget;
        this.clock = clock;
        this.tls = tls;
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
        URI url;
        try {
            url = webhook(request);
        } catch (IllegalArgumentException e) {
            return refuse(trace, decisions, FailureCategory.POLICY, Excerpt.of(e.getMessage(), MAX_MESSAGE));
        }
        AllowedHosts allowed = request.allowedHosts() != null ? request.allowedHosts() : AllowedHosts.of();
        TimeBudget budget = TimeBudget.of(request.limits(), defaultBudget, clock.instant());
        decisions.add("webhook " + Destination.display(url) + ", time budget " + budget.source() + ", allowed hosts: "
                + allowed.describe());
        if (budget.limit().isZero() || budget.limit().isNegative()) {
            return refuse(trace, decisions, FailureCategory.RUNTIME, "Time budget of " + budget.source()
                    + " is used up before the webhook could be called");
        }
        long deadline = System.nanoTime() + budget.limit().toNanos();
        Map<String, Object> workOrder = new LinkedHashMap<>(request.pinnedObjects());
        workOrder.put("executor", NAME);
        workOrder.put("time_budget_seconds", budget.limit().toMillis() / 1000.0);
        byte[] body = CwomJson.mapper().writeValueAsBytes(workOrder);
        Instant started = clock.instant();
        for (int redirects = 0; ; redirects++) {
            Destination destination;
            try {
                destination = Destination.check(url, allowed);
            } catch (Destination.RefusedException e) {
                String message = redirects == 0 ? e.getMessage() : "The agent's webhook redirected to '"
                        + Destination.display(url) + "', which is refused: " + e.getMessage();
                return refuse(trace, decisions, FailureCategory.POLICY, Excerpt.of(message, MAX_MESSAGE));
            } catch (UnknownHostException e) {
                return failed(trace, decisions, started, FailureCategory.DEPENDENCY, "Agent webhook host '"
                        + AllowedHosts.unbracketed(String.valueOf(url.getHost())) + "' does not resolve; check the"
                        + " webhook URL and the worker's DNS");
            }
            trace.event("http.posted", Map.of("url", Destination.display(url), "address",
                    destination.address().getHostAddress()));
            try (WebhookCall call = WebhookCall.post(destination, body, settings.connectTimeout(), deadline, tls)) {
                String location = call.head().header("location");
                if (REDIRECTS.contains(call.status()) && location != null) {
                    if (redirects >= settings.maxRedirects()) {
                        return failed(trace, decisions, started, FailureCategory.DEPENDENCY, "Agent webhook "
                                + Destination.display(url) + " redirected more than cwom.worker.http.max-redirects ("
                                + settings.maxRedirects() + ") times; give the webhook's final URL");
                    }
                    URI next = redirectTarget(url, location);
                    if (next == null) {
                        return failed(trace, decisions, started, FailureCategory.DEPENDENCY, "Agent webhook "
                                + Destination.display(url) + " answered " + call.status() + " with a Location that"
                                + " is not a URI; fix the agent's redirect");
                    }
                    decisions.add("redirect " + call.status() + " from " + Destination.display(url) + " to "
                            + Destination.display(next) + "; checked like the webhook, the work order POSTed again");
                    url = next;
                    continue;
                }
                return answered(call, destination, trace, decisions, started);
            } catch (WebhookCall.DeadlineException e) {
                return failed(trace, decisions, started, FailureCategory.RUNTIME, "Agent webhook "
                        + Destination.display(url) + " did not finish answering within the time budget of "
                        + budget.source() + ": " + e.getMessage() + "; the connection was closed at the deadline."
                        + " Make the agent answer sooner or raise the budget");
            } catch (WebhookCall.InterruptedCallException e) {
                Thread.currentThread().interrupt();
                return ExecutionResult.refused(FailureCategory.RUNTIME, INTERRUPTED
                        + " while waiting for agent webhook " + Destination.display(url)
                        + "; the connection was closed", decisions);
            } catch (IOException e) {
                return failed(trace, decisions, started, FailureCategory.DEPENDENCY, "Agent webhook "
                        + Destination.display(url) + " (" + destination.address().getHostAddress() + ") failed: "
                        + Excerpt.of(String.valueOf(e.getMessage()), ERROR_EXCERPT)
                        + "; check that the agent is running and the URL is right");
            }
        }
    }

    private ExecutionResult answered(WebhookCall call, Destination destination, TraceRecorder trace,
            List<String> decisions, Instant started) throws IOException {
        String url = Destination.display(destination.url());
        boolean ok = call.status() / 100 == 2;
        WebhookCall.Body answer = call.body(ok ? settings.maxAnswerBytes() : ERROR_READ);
        Duration took = Duration.between(started, clock.instant());
        trace.event("http.answered", Map.of("status", call.status(), "seconds", took.toMillis() / 1000.0,
                "bytes", answer.bytes().length));
        trace.log("POST " + url + " -> " + call.status() + " after " + TimeBudget.format(took));
        trace.log(Excerpt.of(answer.text(), 4000));
        if (!ok) {
            return failed(trace, decisions, started, FailureCategory.DEPENDENCY, "Agent webhook " + url + " answered "
                    + call.status() + ": " + Excerpt.of(answer.text(), ERROR_EXCERPT));
        }
        if (!answer.complete()) {
            return failed(trace, decisions, started, FailureCategory.DEPENDENCY, "Agent webhook " + url + " answered"
                    + " more than cwom.worker.http.max-answer-size (" + settings.maxAnswerSize() + "); reading"
                    + " stopped there. Make the agent link large results by uri, or raise the setting");
        }
        try {
            return AgentAnswer.parse(answer.text()).toResult(trace.artifactsDir(), decisions,
                    took.toMillis() / 1000.0);
        } catch (AgentAnswer.InvalidAnswerException e) {
            return failed(trace, decisions, started, FailureCategory.DEPENDENCY, "Agent webhook " + url
                    + " answered 2xx, but " + e.getMessage());
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
        URI url;
        try {
            url = webhookUrl(request.issue().value(), settings.webhookUrl());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The Issue's meta." + META_WEBHOOK_URL + " is not a URI ("
                    + e.getMessage() + "); give an http(s) URL");
        }
        if (url == null) {
            throw new IllegalArgumentException("No agent webhook: the Issue has no meta." + META_WEBHOOK_URL
                    + " and cwom.worker.http.webhook-url is not set; set one of them");
        }
        return url;
    }

    private static @Nullable URI redirectTarget(URI from, String location) {
        try {
            return from.resolve(new URI(location.trim()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private ExecutionResult failed(TraceRecorder trace, List<String> decisions, Instant started,
            FailureCategory category, String message) {
        String shortMessage = Excerpt.of(message, MAX_MESSAGE);
        trace.event("http.failed", Map.of("category", category.value(), "reason", shortMessage));
        trace.log("# " + shortMessage);
        decisions.add(shortMessage);
        double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
        return ExecutionResult.failure(category, shortMessage, List.of(), decisions, new Run.Cost(null, null, seconds));
    }

    private static ExecutionResult refuse(TraceRecorder trace, List<String> decisions, FailureCategory category,
            String message) {
        trace.event("http.refused", Map.of("category", category.value(), "reason", message));
        decisions.add(message);
        return ExecutionResult.refused(category, message, decisions);
    }
}
