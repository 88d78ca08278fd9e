package dev.cwom.worker.executors;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * A webhook URL the http executor may call, with the address it connects to. {@link #check} parses and resolves the
 * URL once: only {@code http} and {@code https}, no user-info, a host every source of {@link AllowedHosts} allows, and
 * no resolved address loopback, link-local, private or otherwise special ({@link SpecialAddresses}) unless an allowed
 * host names it exactly. The call then goes to {@link #address()}, the address that was checked, so a DNS answer that
 * changes in between cannot redirect it (DNS rebinding).
 *
 * @param url the URL as checked
 * @param host its host, lower case, an IPv6 literal without brackets; what the {@code Host} header and TLS name
 * @param port its port, the scheme's default when the URL has none
 * @param https whether the call is made over TLS
 * @param address the checked address to connect to
 */
record Destination(URI url, String host, int port, boolean https, InetAddress address) {

    /**
     * Checks {@code url} against {@code allowed} and resolves its host.
     *
     * @throws RefusedException when the URL or an address of its host is not allowed (failure {@code policy})
     * @throws UnknownHostException when the host does not resolve (failure {@code dependency})
     */
    static Destination check(URI url, AllowedHosts allowed) throws UnknownHostException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedException("Agent webhook '" + display(url) + "' is not an http(s) URL; the http executor"
                    + " calls only http:// and https:// webhooks");
        }
        if (url.getRawUserInfo() != null) {
            throw new RefusedException("Agent webhook '" + display(url) + "' carries user-info (user:password@) in"
                    + " its URL; credentials do not belong in a webhook URL: remove them");
        }
        if (url.getHost() == null) {
            throw new RefusedException("Agent webhook '" + display(url) + "' has no host the worker can read; write"
                    + " it as http(s)://host[:port]/path");
        }
        String host = AllowedHosts.unbracketed(url.getHost()).toLowerCase(Locale.ROOT);
        if (!allowed.allows(host)) {
            throw new RefusedException("Agent webhook host '" + host + "' is not among the hosts this run may call ("
                    + allowed.describe() + "); use an allowed webhook_url, or ask the operator to add the host to the"
                    + " policy's network.hosts");
        }
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            String kind = SpecialAddresses.kind(address);
            if (kind != null && !allowed.namesExactly(List.of(host, address.getHostAddress()))) {
                throw new RefusedException("Agent webhook host '" + host + "' resolves to " + address.getHostAddress()
                        + ", a " + kind + " address, which the http executor calls only when an allowed host names"
                        + " it exactly (" + allowed.describe() + "); to call an agent there, list '" + host
                        + "' itself, not a * glob, in the operator policy's network.hosts or"
                        + " cwom.worker.ceiling.hosts");
            }
        }
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return new Destination(url, host, port, scheme.equals("https"), addresses[0]);
    }

    /** The URL for messages and logs: scheme, host, port and path; no user-info, query or fragment. */
    static String display(URI url) {
        if (url.getScheme() == null || url.getRawAuthority() == null) {
            String text = url.getScheme() == null ? url.toString() : url.getScheme() + ":...";
            return text.length() > 100 ? text.substring(0, 100) + "..." : text;
        }
        String authority = url.getRawAuthority().substring(url.getRawAuthority().indexOf('@') + 1);
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return url.getScheme() + "://" + authority + (path.length() > 100 ? path.substring(0, 100) + "..." : path);
    }

    /** The {@code Host} header: the host, with the port unless it is the scheme's default. */
    String hostHeader() {
        String name = host.contains(":") ? "[" + host + "]" : host;
        return port == (https ? 443 : 80) ? name : name + ":" + port;
    }

    /** The path and query to request. */
    String target() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    /** A destination the http executor does not call; the run fails with {@code policy} before any connection. */
    static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }
}
