package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.cli.client.Output;
import dev.cwom.cli.client.Profile;
import dev.cwom.json.CwomJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the profile after checking that the token reads the API. {@code --local-stack DIR} takes the submit token
 * (scopes cwom.submit, cwom.read, blobs.read) of the local stack's {@code credentials.env} and its default ports.
 */
@Command(name = "login", description = "Check a URL and token and save them to the profile (0600).")
public final class LoginCommand implements Runnable {

    static final String LOCAL_BLOBS_URL = "http://127.0.0.1:8083";
    static final String LOCAL_KAFKA = "127.0.0.1:9092";
    static final String LOCAL_REGISTRY = "http://127.0.0.1:8085";

    @Mixin
    ApiOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--local-stack", paramLabel = "DIR", arity = "0..1", fallbackValue = ".local-stack",
            description = "take the token from DIR/credentials.env of the local stack (default DIR: .local-stack)")
    @Nullable Path localStack;

    @Option(names = "--kafka", paramLabel = "SERVERS", description = "bootstrap servers for submit --via kafka")
    @Nullable String kafka;

    @Option(names = "--registry-url", paramLabel = "URL", description = "schema registry for submit --via kafka")
    @Nullable String registryUrl;

    @Override
    public void run() {
        Output out = options.out(spec);
        Profile old = options.profile();
        boolean local = localStack != null;
        String token = ApiOptions.first(options.token(), local ? localToken(localStack) : null, old.token());
        if (token == null) {
            throw new CliException(ExitCodes.USAGE, "Give --token TOKEN or --local-stack [DIR]");
        }
        Profile profile = new Profile(
                ApiOptions.first(options.url(), local ? ApiOptions.DEFAULT_URL : null, old.url(), ApiOptions.DEFAULT_URL),
                token,
                ApiOptions.first(options.blobsUrl(), local ? LOCAL_BLOBS_URL : null, old.blobsUrl()),
                ApiOptions.first(kafka, local ? LOCAL_KAFKA : null, old.kafka()),
                ApiOptions.first(registryUrl, local ? LOCAL_REGISTRY : null, old.registryUrl()));
        // A token that cannot read is refused here, with the API's problem, rather than on the next command.
        new Api(options.parseUrl(profile.url(), "--url"), token, null).get("/cwom/issues?limit=1");
        Path file = options.profilePath();
        profile.write(file);
        if (out.json()) {
            ObjectNode node = CwomJson.mapper().createObjectNode();
            node.put("profile", file.toString());
            node.put("url", profile.url());
            node.put("blobs_url", profile.blobsUrl());
            node.put("kafka", profile.kafka());
            node.put("registry_url", profile.registryUrl());
            out.json(node);
        } else {
            out.line("Logged in to " + profile.url() + "; profile written to " + file);
        }
    }

    private static String localToken(Path dir) {
        Path file = dir.resolve("credentials.env");
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (!line.startsWith("#") && equals > 0) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "Cannot read " + file + " (start the local stack once, or give"
                    + " its --data-dir): " + e.getMessage(), e);
        }
        String token = values.get("CWOM_SUBMIT_TOKEN");
        if (token == null) {
            throw new CliException(ExitCodes.ERROR, file + " has no CWOM_SUBMIT_TOKEN");
        }
        return token;
    }
}
