package dev.cwom.worker.trace;

import dev.cwom.json.CwomJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trace folder of one run, {@code <trace-root>/<run_id>/}:
 * {@code manifest.json}, {@code events.jsonl}, {@code trace.log}, {@code context.json}, {@code artifacts/},
 * {@code evidence/}. Bundled by {@link TraceBundler} when the run ends.
 */
public final class TraceFolder implements TraceRecorder {

    public static final String MANIFEST = "manifest.json";
    public static final String EVENTS = "events.jsonl";
    public static final String LOG = "trace.log";
    public static final String CONTEXT = "context.json";
    public static final String ARTIFACTS = "artifacts";
    public static final String EVIDENCE = "evidence";

    private final Path root;
    private final Clock clock;

    private TraceFolder(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /**
     * Creates the empty folder of a run. Run ids are new per attempt, so an existing folder means a bug or a reused
     * id; it is refused rather than mixed with another run's trace.
     */
    public static TraceFolder create(Path traceRoot, String runId, Clock clock) {
        Path folder = traceRoot.resolve(runId);
        try {
            Files.createDirectories(traceRoot);
            Files.createDirectory(folder);
            Files.createDirectory(folder.resolve(ARTIFACTS));
            Files.createDirectory(folder.resolve(EVIDENCE));
            Files.createFile(folder.resolve(EVENTS));
            Files.createFile(folder.resolve(LOG));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("Trace folder " + folder + " already exists; every run attempt needs a new"
                    + " run id (a new ULID), or remove the stale folder", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create trace folder " + folder
                    + "; check that cwom.worker.trace-root is writable", e);
        }
        return new TraceFolder(folder, clock);
    }

    /** The folder itself. */
    public Path path() {
        return root;
    }

    /** Writes (or rewrites) {@code manifest.json}. */
    public void writeManifest(TraceManifest manifest) {
        writeJson(MANIFEST, manifest);
    }

    /** Writes {@code context.json}: the pinned objects the run executed with, as a JSON-serialisable value. */
    public void writeContext(Object pinnedObjects) {
        writeJson(CONTEXT, pinnedObjects);
    }

    @Override
    public synchronized void event(String step, Map<String, ?> details) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", clock.instant().toString());
        line.put("step", step);
        // Sorted so that the same details always give the same line.
        line.put("details", new TreeMap<>(details));
        append(EVENTS, CwomJson.mapper().writeValueAsString(line) + "\n");
    }

    @Override
    public synchronized void log(String line) {
        append(LOG, line.endsWith("\n") ? line : line + "\n");
    }

    @Override
    public Path logFile() {
        return root.resolve(LOG);
    }

    @Override
    public Path artifactsDir() {
        return root.resolve(ARTIFACTS);
    }

    @Override
    public Path evidenceDir() {
        return root.resolve(EVIDENCE);
    }

    private void writeJson(String name, Object value) {
        try {
            Files.writeString(root.resolve(name),
                    CwomJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + root.resolve(name), e);
        }
    }

    private void append(String name, String text) {
        try {
            Files.writeString(root.resolve(name), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + root.resolve(name), e);
        }
    }
}
