package dev.cwom.worker.executors;

import dev.cwom.policy.PolicyLimits;
import java.util.List;
import java.util.Locale;

/**
 * The hosts the http executor may call in one run: every source (the pinned operator policy's {@code network.hosts}
 * for the run's Repo and principal, and the worker's {@code cwom.worker.ceiling.hosts}) must allow a host, each by its
 * own globs ({@link PolicyLimits#allowsHost}). A host that resolves to a loopback, link-local, private or otherwise
 * special address needs more: one of the sources must name it exactly, as the host name or the literal address, not
 * through a {@code *} glob (see {@link Destination}).
 *
 * @param sources the limits a host must satisfy, each with its label for messages; none means no host is allowed
 */
public record AllowedHosts(List<Source> sources) {

    public AllowedHosts {
        sources = List.copyOf(sources);
    }

    /**
     * One list of allowed hosts and where it comes from.
     *
     * @param label where the list comes from, for messages ("the operator policy v3")
     * @param limits the limits holding the list ({@code network.hosts})
     */
    public record Source(String label, PolicyLimits limits) {
    }

    /** Hosts allowed by these sources, all of which must allow each host. */
    public static AllowedHosts of(Source... sources) {
        return new AllowedHosts(List.of(sources));
    }

    /**
     * Whether every source allows {@code host} (a name, or an address literal without brackets); an IPv6 literal
     * matches entries with or without brackets, as admission checks it as the URI writes it ({@code [::1]}).
     */
    boolean allows(String host) {
        List<String> forms = host.contains(":") ? List.of(host, "[" + host + "]") : List.of(host);
        return !sources.isEmpty()
                && sources.stream().allMatch(s -> forms.stream().anyMatch(form -> s.limits().allowsHost(form)));
    }

    /** Whether a source lists one of {@code names} exactly, as written (case aside), not through a glob. */
    boolean namesExactly(List<String> names) {
        return sources.stream()
                .flatMap(s -> s.limits().network().hosts().stream())
                .map(entry -> unbracketed(entry).toLowerCase(Locale.ROOT))
                .anyMatch(entry -> names.stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).equals(entry)));
    }

    /** Each source's hosts, for messages: "the operator policy v3 [127.0.0.1]; the worker's ceiling [*]". */
    String describe() {
        if (sources.isEmpty()) {
            return "no allowed hosts were given to this run";
        }
        return String.join("; ", sources.stream().map(s -> s.label() + " " + s.limits().network().hosts()).toList());
    }

    /** An IPv6 literal as a URI writes it ({@code [::1]}) without its brackets. */
    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
