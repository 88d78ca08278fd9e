package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.cli.client.Output;
import dev.cwom.json.CwomJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code trace RUN}: the run's trace bundle (its Artifact of type {@code trace}, a zip the worker wrote,
 * docs/worker.md), verified like {@code fetch}, printed as a timeline from {@code events.jsonl} followed by
 * {@code trace.log}. A bundle whose digest does not match is not read (exit 7).
 */
@Command(name = "trace", description = "Print a run's timeline (events.jsonl) and log (trace.log) from its trace bundle.")
public final class TraceCommand implements Callable<Integer> {

    /** The most of trace.log shown; the bundle holds it all. */
    private static final int MAX_LOG_BYTES = 1024 * 1024;

    @Mixin ApiOptions options;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "the Run's id")
    String run;

    @Override
    public Integer call() throws IOException {
        Api api = options.api();
        Output out = options.out(spec);
        JsonNode traces = api.get("/cwom/runs/" + Api.segment(run) + "/artifacts?type=trace").path("items");
        if (traces.isEmpty()) {
            throw new CliException(ExitCodes.NOT_FOUND, "Run " + run + " has no trace artifact (yet)");
        }
        JsonNode trace = traces.get(traces.size() - 1);
        Path bundle = ArtifactBodies.temporaryNextTo(null);
        try {
            ArtifactBodies.Download download = ArtifactBodies.download(api, trace, bundle);
            if (!download.matches()) {
                throw new CliException(ExitCodes.DIGEST_MISMATCH, "The trace bundle of run " + run + " (artifact "
                        + trace.path("id").asString() + ") does not match its digest: stored "
                        + download.expected() + ", body " + download.actual());
            }
            print(out, trace, bundle);
            return ExitCodes.OK;
        } finally {
            Files.deleteIfExists(bundle);
        }
    }

    private void print(Output out, JsonNode trace, Path bundle) throws IOException {
        ArrayNode events = CwomJson.mapper().createArrayNode();
        String log = "";
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            ZipEntry eventsEntry = find(zip, "events.jsonl");
            if (eventsEntry != null) {
                for (String line : read(zip, eventsEntry, Integer.MAX_VALUE).split("\n")) {
                    if (!line.isBlank()) {
                        events.add(CwomJson.mapper().readTree(line));
                    }
                }
            }
            ZipEntry logEntry = find(zip, "trace.log");
            if (logEntry != null) {
                log = read(zip, logEntry, MAX_LOG_BYTES);
            }
        } catch (java.util.zip.ZipException e) {
            throw new CliException(ExitCodes.ERROR, "The trace artifact " + trace.path("id").asString()
                    + " is not a zip: " + e.getMessage(), e);
        }
        if (out.json()) {
            ObjectNode node = CwomJson.mapper().createObjectNode();
            node.put("run_id", run);
            node.put("artifact_id", trace.path("id").asString());
            node.put("digest", trace.path("digest").asString(null));
            node.set("events", events);
            node.put("log", log);
            out.json(node);
            return;
        }
        out.line("Run " + run + ": trace " + trace.path("id").asString() + " (" + trace.path("digest").asString()
                + ", verified)");
        Instant first = null;
        for (JsonNode event : events) {
            Instant at = instant(event.path("at").asString(null));
            if (first == null) {
                first = at;
            }
            String offset = at == null || first == null ? "" : "+" + Duration.between(first, at).toMillis() / 1000.0
                    + "s";
            StringBuilder details = new StringBuilder();
            for (Map.Entry<String, JsonNode> detail : event.path("details").properties()) {
                details.append(' ').append(detail.getKey()).append('=').append(detail.getValue().isString()
                        ? detail.getValue().asString() : detail.getValue().toString());
            }
            out.line(String.format("%-24s %9s  %s%s", event.path("at").asString(""), offset,
                    event.path("step").asString(), details));
        }
        out.line("--- trace.log ---");
        out.line(log.stripTrailing());
    }

    private static @Nullable ZipEntry find(ZipFile zip, String name) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (entry.getName().equals(name) || entry.getName().endsWith("/" + name)) {
                return entry;
            }
        }
        return null;
    }

    private static String read(ZipFile zip, ZipEntry entry, int max) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readNBytes(max), StandardCharsets.UTF_8);
        }
    }

    private static @Nullable Instant instant(@Nullable String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
