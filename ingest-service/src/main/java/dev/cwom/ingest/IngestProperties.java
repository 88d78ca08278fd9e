package dev.cwom.ingest;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of ingest-service (prefix {@code cwom.ingest}); defaults here and nowhere else.
 *
 * @param tasks the policy gate of {@code POST /tasks/enqueue}
 */
@ConfigurationProperties("cwom.ingest")
public record IngestProperties(@DefaultValue Tasks tasks) {

    /**
     * The task bridge's policy.
     *
     * @param allowedRepoPrefixes repo slugs a task may target, by prefix after normalisation (lower-case, no
     *                            {@code .git}), e.g. {@code acme/}; empty allows every repo
     * @param allowNetwork        whether a task may ask for network access ({@code constraints.allow_network})
     * @param allowSecrets        whether a task may ask for secrets ({@code constraints.allow_secrets})
     * @param minTimeBudget       the smallest time budget a task may ask for
     * @param maxTimeBudget       the largest time budget a task may ask for
     * @param defaultTimeBudget   the time budget of a task that names none
     * @param objectiveMinLength  the shortest objective, in characters after trimming
     * @param objectiveMaxLength  the longest objective, in characters after trimming
     * @param defaultRef          the git ref of a task whose target names none
     */
    public record Tasks(
            @DefaultValue List<String> allowedRepoPrefixes,
            @DefaultValue("false") boolean allowNetwork,
            @DefaultValue("false") boolean allowSecrets,
            @DefaultValue("30s") Duration minTimeBudget,
            @DefaultValue("24h") Duration maxTimeBudget,
            @DefaultValue("15m") Duration defaultTimeBudget,
            @DefaultValue("5") int objectiveMinLength,
            @DefaultValue("4000") int objectiveMaxLength,
            @DefaultValue("main") String defaultRef) {
    }
}
