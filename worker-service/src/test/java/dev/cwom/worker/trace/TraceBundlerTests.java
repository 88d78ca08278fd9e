package dev.cwom.worker.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceBundlerTests {

    private static final String RUN_ID = "01KAAAAAAAAAAAAAAAAAAAAAAA";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path temp;

    private final TraceBundler bundler = new TraceBundler();

    @Test
    void sameContentGivesSameBytesWhateverTheFileTimesPermissionsAndCreationOrder() throws IOException {
        TraceFolder first = TraceFolder.create(temp.resolve("a"), RUN_ID, CLOCK);
        fill(first, List.of("b.txt", "a.txt"));
        TraceFolder second = TraceFolder.create(temp.resolve("b"), RUN_ID, CLOCK);
        fill(second, List.of("a.txt", "b.txt"));
        Files.setLastModifiedTime(second.path().resolve("trace.log"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Files.setPosixFilePermissions(second.artifactsDir().resolve("a.txt"), PosixFilePermissions.fromString("rwx------"));

        TraceBundle one = bundler.bundle(first.path(), temp.resolve("one.zip"));
        TraceBundle two = bundler.bundle(second.path(), temp.resolve("two.zip"));

        assertThat(Files.readAllBytes(one.file())).isEqualTo(Files.readAllBytes(two.file()));
        assertThat(one.digest()).isEqualTo(two.digest()).isEqualTo(Digests.sha256(Files.readAllBytes(one.file())));
        assertThat(one.sizeBytes()).isEqualTo(Files.size(one.file()));
        assertThat(one.mediaType()).isEqualTo("application/zip");
    }

    @Test
    void differentContentGivesADifferentDigest() throws IOException {
        TraceFolder first = TraceFolder.create(temp.resolve("a"), RUN_ID, CLOCK);
        fill(first, List.of("a.txt"));
        TraceFolder second = TraceFolder.create(temp.resolve("b"), RUN_ID, CLOCK);
        fill(second, List.of("a.txt"));
        second.log("one more line");

        assertThat(bundler.bundle(first.path(), temp.resolve("one.zip")).digest())
                .isNotEqualTo(bundler.bundle(second.path(), temp.resolve("two.zip")).digest());
    }

    @Test
    void entriesAreSortedUnderTheRunFolderWithOneFixedTimeAndNoSymlinks() throws IOException {
        TraceFolder folder = TraceFolder.create(temp.resolve("a"), RUN_ID, CLOCK);
        fill(folder, List.of("z.txt", "m.txt"));
        Path secret = Files.writeString(temp.resolve("secret.txt"), "not for the trace");
        Files.createSymbolicLink(folder.artifactsDir().resolve("link.txt"), secret);

        TraceBundle bundle = bundler.bundle(folder.path(), temp.resolve("one.zip"));

        List<String> names = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        try (InputStream in = Files.newInputStream(bundle.file()); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                names.add(entry.getName());
                times.add(entry.getTime());
            }
        }
        assertThat(names).containsExactly(RUN_ID + "/", RUN_ID + "/artifacts/", RUN_ID + "/artifacts/m.txt",
                RUN_ID + "/artifacts/z.txt", RUN_ID + "/context.json", RUN_ID + "/events.jsonl",
                RUN_ID + "/evidence/", RUN_ID + "/evidence/check.txt", RUN_ID + "/manifest.json",
                RUN_ID + "/trace.log");
        assertThat(times).hasSize(names.size()).containsOnly(times.getFirst());
    }

    @Test
    void previewNamesTheFilesAndTheLastLogLines() throws IOException {
        TraceFolder folder = TraceFolder.create(temp.resolve("a"), RUN_ID, CLOCK);
        fill(folder, List.of("report.json"));
        for (int i = 1; i <= 20; i++) {
            folder.log("line " + i);
        }

        String preview = bundler.bundle(folder.path(), temp.resolve("one.zip")).preview();

        assertThat(preview).startsWith("Trace of run " + RUN_ID + ": 6 files")
                .contains("artifacts/report.json", "manifest.json", "line 20")
                .doesNotContain("line 3\n");
        assertThat(preview.length()).isLessThanOrEqualTo(2000);
    }

    private static void fill(TraceFolder folder, List<String> artifacts) throws IOException {
        folder.writeContext(Map.of("run_id", RUN_ID));
        folder.writeManifest(new TraceManifest(RUN_ID, "worker-1", null, new TraceManifest.Subject("I", "title", "feature"),
                new TraceManifest.Subject("R", "acme/app", null), "noop", List.of(),
                new dev.cwom.model.Run.Telemetry(CLOCK.instant(), null, null), "running", null, List.of(), null));
        folder.event("started", Map.of("b", 2, "a", 1));
        folder.log("hello");
        for (String name : artifacts) {
            Files.writeString(folder.artifactsDir().resolve(name), "content of " + name);
        }
        Files.writeString(folder.evidenceDir().resolve("check.txt"), "ok");
    }
}
