package dev.cwom.cli.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options every command takes (a picocli mixin, so they go before or after the command's own): where the API
 * is, the token, the output format. Each value comes from the option, else the environment ({@code CWOM_URL},
 * {@code CWOM_TOKEN}, {@code CWOM_BLOBS_URL}), else the profile, else the local stack's default address.
 */
public final class ApiOptions {

    /** ingest-service of the local stack. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8081";

    @Option(names = "--url", paramLabel = "URL", description = "ingest-service's base URL (default: $CWOM_URL, "
            + "profile, " + DEFAULT_URL + ")")
    @Nullable String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default: $CWOM_TOKEN, profile)")
    @Nullable String token;

    @Option(names = "--blobs-url", paramLabel = "URL", description = "artifact-service's base URL: the token is "
            + "sent to artifact bodies there (default: $CWOM_BLOBS_URL, profile)")
    @Nullable String blobsUrl;

    @Option(names = "--profile", paramLabel = "FILE", description = "profile file (default: "
            + "$XDG_CONFIG_HOME/cwom/profile or ~/.config/cwom/profile)")
    @Nullable Path profile;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat output = OutputFormat.text;

    public @Nullable String url() {
        return url;
    }

    public @Nullable String token() {
        return token;
    }

    public @Nullable String blobsUrl() {
        return blobsUrl;
    }

    /** The profile file these options point at. */
    public Path profilePath() {
        return profile != null ? profile : Profile.defaultPath(System.getenv(), System.getProperty("user.home"));
    }

    public Profile profile() {
        return Profile.read(profilePath());
    }

    /** A client for the API with the resolved address and token. */
    public Api api() {
        Profile stored = profile();
        Map<String, String> env = System.getenv();
        String base = first(url, env.get("CWOM_URL"), stored.url(), DEFAULT_URL);
        String bearer = first(token, env.get("CWOM_TOKEN"), stored.token(), null);
        String blobs = first(blobsUrl, env.get("CWOM_BLOBS_URL"), stored.blobsUrl(), null);
        return new Api(parseUrl(base, "--url"), bearer, blobs == null ? null : parseUrl(blobs, "--blobs-url"));
    }

    /** Where the command writes, in the chosen format (the command line's writers, so tests can read them). */
    public Output out(CommandSpec spec) {
        return new Output(output, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    @SafeVarargs
    public static <T> @Nullable T first(@Nullable T... values) {
        for (T value : values) {
            if (value != null && !(value instanceof String s && s.isBlank())) {
                return value;
            }
        }
        return null;
    }

    /** An http(s) base URL without a trailing slash; a usage error otherwise. */
    public static URI parseUrl(String value, String option) {
        try {
            URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, option + " '" + value + "' is not an http(s) URL such as "
                    + DEFAULT_URL);
        }
    }
}
