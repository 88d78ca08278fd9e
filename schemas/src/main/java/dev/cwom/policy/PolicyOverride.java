package dev.cwom.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Limits that replace the policy's for some Repos (by {@code slug} glob, e.g. {@code acme/*}) or one principal (by
 * {@code name}). A field left out keeps what applied before; a field given replaces it, wider or narrower.
 *
 * @param slug the Repo slug glob (entries of {@code repos})
 * @param name the principal's name (entries of {@code principals})
 * @param executors replaces {@code executors}
 * @param tools replaces {@code tools}
 * @param network replaces {@code network}
 * @param maxTimeBudgetSeconds replaces {@code max_time_budget_seconds}
 * @param secrets replaces {@code secrets}
 * @param maxOutputBytes replaces {@code max_output_bytes}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PolicyOverride(@Nullable String slug, @Nullable String name, @Nullable List<String> executors,
        PolicyLimits.@Nullable Tools tools, PolicyLimits.@Nullable Network network,
        @Nullable Long maxTimeBudgetSeconds, @Nullable Boolean secrets, @Nullable Long maxOutputBytes) {

    PolicyLimits applyTo(PolicyLimits limits) {
        return new PolicyLimits(executors != null ? executors : limits.executors(),
                tools != null ? tools : limits.tools(), network != null ? network : limits.network(),
                maxTimeBudgetSeconds != null ? maxTimeBudgetSeconds : limits.maxTimeBudgetSeconds(),
                secrets != null ? secrets : limits.secrets(),
                maxOutputBytes != null ? maxOutputBytes : limits.maxOutputBytes());
    }
}
