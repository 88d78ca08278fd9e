package dev.cwom.ingest.runs;

import dev.cwom.events.Topics;
import dev.cwom.ingest.web.ApiProblem;
import dev.cwom.model.Artifact;
import dev.cwom.model.Run;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Answers 501 for REST writes of Runs and Artifacts until they are published to Kafka; never a fake success. */
@Component
class UnwiredRunEventPublisher implements RunEventPublisher {

    @Override
    public Run runReported(Run run, @Nullable String traceId) {
        throw notYet("POST /cwom/runs", Topics.RUNS);
    }

    @Override
    public Run runUpdated(String runId, RunUpdate update, @Nullable String traceId) {
        throw notYet("PATCH /cwom/runs/" + runId, Topics.RUNS);
    }

    @Override
    public Artifact artifactReported(Artifact artifact, @Nullable String traceId) {
        throw notYet("POST /cwom/artifacts", Topics.ARTIFACTS);
    }

    private static ApiProblem notYet(String endpoint, String topic) {
        return ApiProblem.notWiredYet(endpoint + " is not available yet: REST writes of runs and artifacts are "
                + "published as events to " + topic + " (the sink is their only writer), and that publishing is not "
                + "wired in this version. The body was valid and nothing was stored; runs are created by workers "
                + "from work orders. The GET endpoints work.");
    }
}
