package dev.cwom.policy;

import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operator's policy document: the limits every submission is held to, with overrides per Repo (slug glob) and
 * per principal. A field left out takes the safe default of {@link #SAFE}: only the {@code noop} executor, no tools,
 * no network, no secrets, a time budget of at most 24 h (the task bridge's old maximum), outputs of at most 100 MiB.
 *
 * <p>Resolution ({@link #limitsFor}): the top-level limits, then every {@code repos} entry whose slug glob matches,
 * in file order, then every {@code principals} entry with the principal's name; each replaces the fields it gives.
 *
 * @param executors executors that may run; default {@code [noop]}
 * @param tools tools commands may start; default none
 * @param network network access; default denied, no hosts
 * @param maxTimeBudgetSeconds the largest time budget; default 86400
 * @param secrets whether secrets may be asked for; default false
 * @param maxOutputBytes the largest total output size; default 104857600 (100 MiB)
 * @param repos overrides by Repo slug glob
 * @param principals overrides by principal name
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OperatorPolicy(@Nullable List<String> executors, PolicyLimits.@Nullable Tools tools,
        PolicyLimits.@Nullable Network network, @Nullable Long maxTimeBudgetSeconds, @Nullable Boolean secrets,
        @Nullable Long maxOutputBytes, List<PolicyOverride> repos, List<PolicyOverride> principals) {

    /** The built-in default: what applies when no policy was ever given. */
    public static final OperatorPolicy SAFE = new OperatorPolicy(null, null, null, null, null, null, null, null);

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /**
     * Policies read before, by their document: ingest admits every ready Issue and the worker every run under the
     * policy in force, which is one of very few documents, and reading it (YAML) was a few per cent of their CPU per
     * Issue. A policy is immutable, so sharing one is safe; the bound only guards against a stream of new ones.
     */
    private static final Map<String, OperatorPolicy> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_MAX = 64;

    public OperatorPolicy {
        executors = List.copyOf(executors == null ? List.of(ExecutorChoice.NOOP) : executors);
        tools = tools == null ? new PolicyLimits.Tools(List.of(), List.of()) : tools;
        network = network == null ? new PolicyLimits.Network(false, List.of()) : network;
        maxTimeBudgetSeconds = maxTimeBudgetSeconds == null ? 86_400L : maxTimeBudgetSeconds;
        secrets = secrets != null && secrets;
        maxOutputBytes = maxOutputBytes == null ? 100L * 1024 * 1024 : maxOutputBytes;
        repos = List.copyOf(repos == null ? List.of() : repos);
        principals = List.copyOf(principals == null ? List.of() : principals);
    }

    /**
     * Reads a policy from JSON or YAML and checks it.
     *
     * @throws PolicyDocumentException when it is not JSON/YAML, has an unknown field, or a value is out of range
     */
    public static OperatorPolicy parse(String document) {
        OperatorPolicy known = PARSED.get(document);
        if (known != null) {
            return known;
        }
        OperatorPolicy parsed = read(document);
        if (PARSED.size() >= PARSED_MAX) {
            PARSED.clear();
        }
        PARSED.put(document, parsed);
        return parsed;
    }

    private static OperatorPolicy read(String document) {
        OperatorPolicy policy;
        try {
            policy = YAML.readValue(document, OperatorPolicy.class);
        } catch (JacksonException e) {
            throw new PolicyDocumentException("The policy document cannot be read: " + e.getOriginalMessage()
                    + " (at " + e.getPathReference() + "); fields are executors, tools {allowed, blocked}, network"
                    + " {allowed, hosts}, max_time_budget_seconds, secrets, max_output_bytes, repos, principals"
                    + " (see docs/examples/policy.yaml)", e);
        }
        if (policy == null) {
            throw new PolicyDocumentException("The policy document is empty; give at least {} for the safe default");
        }
        return policy.checked();
    }

    /** Reads the policy a DoctrineRef carries in its meta {@code policy} (see {@link PolicyDoctrine}). */
    public static OperatorPolicy fromMap(Map<?, ?> document) {
        return parse(CanonicalJson.write(document));
    }

    /** The policy as a JSON object with every default spelled out; what is stored and hashed. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap() {
        return CwomJson.mapper().convertValue(this, Map.class);
    }

    /** The limits for a run on Repo {@code repoSlug} asked for by {@code principal}. */
    public PolicyLimits limitsFor(@Nullable String repoSlug, @Nullable String principal) {
        PolicyLimits limits = new PolicyLimits(executors, tools, network, maxTimeBudgetSeconds, secrets,
                maxOutputBytes);
        if (repoSlug != null) {
            for (PolicyOverride repo : repos) {
                if (repo.slug() != null && Globs.matches(repo.slug(), repoSlug)) {
                    limits = repo.applyTo(limits);
                }
            }
        }
        if (principal != null) {
            for (PolicyOverride entry : principals) {
                if (principal.equals(entry.name())) {
                    limits = entry.applyTo(limits);
                }
            }
        }
        return limits;
    }

    private OperatorPolicy checked() {
        List<String> problems = new ArrayList<>();
        checkLimits("", executors, maxTimeBudgetSeconds, maxOutputBytes, problems);
        for (int i = 0; i < repos.size(); i++) {
            PolicyOverride repo = repos.get(i);
            if (repo.slug() == null || repo.slug().isBlank() || repo.name() != null) {
                problems.add("repos[" + i + "] must give a slug glob (e.g. \"acme/*\") and no name");
            }
            checkLimits("repos[" + i + "].", repo.executors(), repo.maxTimeBudgetSeconds(), repo.maxOutputBytes(),
                    problems);
        }
        for (int i = 0; i < principals.size(); i++) {
            PolicyOverride principal = principals.get(i);
            if (principal.name() == null || principal.name().isBlank() || principal.slug() != null) {
                problems.add("principals[" + i + "] must give the principal's name and no slug");
            }
            checkLimits("principals[" + i + "].", principal.executors(), principal.maxTimeBudgetSeconds(),
                    principal.maxOutputBytes(), problems);
        }
        if (!problems.isEmpty()) {
            throw new PolicyDocumentException("The policy document is not valid: " + String.join("; ", problems));
        }
        return this;
    }

    private static void checkLimits(String at, @Nullable List<String> executors, @Nullable Long maxTimeBudgetSeconds,
            @Nullable Long maxOutputBytes, List<String> problems) {
        if (executors != null) {
            for (String executor : executors) {
                if (!executor.equals(Globs.ANY) && !ExecutorChoice.NAMES.contains(executor)) {
                    problems.add(at + "executors lists '" + executor + "', which is not an executor; use "
                            + ExecutorChoice.NAMES + " or *");
                }
            }
        }
        if (maxTimeBudgetSeconds != null && maxTimeBudgetSeconds < 1) {
            problems.add(at + "max_time_budget_seconds is " + maxTimeBudgetSeconds + "; give at least 1");
        }
        if (maxOutputBytes != null && maxOutputBytes < 0) {
            problems.add(at + "max_output_bytes is " + maxOutputBytes + "; give 0 or more");
        }
    }
}
