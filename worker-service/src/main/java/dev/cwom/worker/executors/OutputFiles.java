package dev.cwom.worker.executors;

import dev.cwom.model.ArtifactType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Turns the files a run left in its output folder into outputs. They are copied into the trace's {@code artifacts/}
 * so that the trace bundle holds them and the working directory can go. Only regular files whose every path
 * component inside the work folder is a real folder or file are taken: an output folder that is or passes through a
 * symbolic link is refused ({@code ln -s / o} with {@code output_dir: o/etc} must not publish {@code /etc}), links
 * inside it are skipped, and so are files with more than one hard link (one could be a file from elsewhere linked
 * in when the run was not sandboxed). Files above the per-file cap, and files past the run's total cap, are left
 * out and said so.
 */
final class OutputFiles {

    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("json", "application/json"), Map.entry("txt", "text/plain"), Map.entry("log", "text/plain"),
            Map.entry("md", "text/markdown"), Map.entry("html", "text/html"), Map.entry("csv", "text/csv"),
            Map.entry("xml", "application/xml"), Map.entry("patch", "text/x-diff"), Map.entry("diff", "text/x-diff"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("jar", "application/java-archive"),
            Map.entry("png", "image/png"), Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"));

    /**
     * What was collected.
     *
     * @param outputs the outputs, in path order
     * @param skipped each file left out and why, for the decision log
     * @param refusal why the run fails because of its outputs (an output folder through a link, a file or the total
     *     above its cap); absent when none
     */
    record Collected(List<ExecutionOutput> outputs, List<String> skipped, @Nullable String refusal) {
    }

    /**
     * The caps.
     *
     * @param fileBytes the largest file
     * @param fileSource where that cap is set, for messages
     * @param totalBytes the largest total of the run's outputs
     * @param totalSource where that cap is set, for messages
     */
    record Caps(long fileBytes, String fileSource, long totalBytes, String totalSource) {
    }

    private OutputFiles() {
    }

    static Collected collect(Path workDir, Path outputDir, Path artifactsDir, Caps caps) {
        Optional<String> link = linkOnTheWay(workDir, outputDir);
        if (link.isPresent()) {
            return new Collected(List.of(), List.of(), "The output folder " + workDir.relativize(outputDir)
                    + " (meta.output_dir) passes through the symbolic link " + link.get() + "; nothing was collected."
                    + " Write the outputs into a real folder of the work folder");
        }
        if (!Files.isDirectory(outputDir, LinkOption.NOFOLLOW_LINKS)) {
            return new Collected(List.of(), List.of(), null);
        }
        List<ExecutionOutput> outputs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> tooLarge = new ArrayList<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(outputDir)) {
            List<Path> files = walk.filter(p -> !p.equals(outputDir)).sorted().toList();
            for (Path file : files) {
                String relative = outputDir.relativize(file).toString().replace('\\', '/');
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isDirectory()) {
                    continue;
                }
                if (!attributes.isRegularFile()) {
                    skipped.add(relative + ": a symbolic link or special file, not collected");
                    continue;
                }
                if (hardLinks(file) > 1) {
                    skipped.add(relative + ": has " + hardLinks(file) + " hard links, not collected (it could be a"
                            + " file from outside the work folder)");
                    continue;
                }
                long size = attributes.size();
                if (size > caps.fileBytes()) {
                    tooLarge.add(relative + " is " + size + " bytes, above the " + caps.fileBytes() + " bytes of "
                            + caps.fileSource());
                    continue;
                }
                if (total + size > caps.totalBytes()) {
                    tooLarge.add(relative + " (" + size + " bytes) would bring the outputs to " + (total + size)
                            + " bytes, above the " + caps.totalBytes() + " bytes of " + caps.totalSource());
                    continue;
                }
                Path copy = artifactsDir.resolve(outputDir.getFileName().toString()).resolve(relative);
                Files.createDirectories(copy.getParent());
                long copied = copyAtMost(file, copy, caps.fileBytes());
                total += copied;
                String extension = extension(relative);
                outputs.add(ExecutionOutput.file(relative, type(extension),
                        MEDIA_TYPES.getOrDefault(extension, "application/octet-stream"), copy));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot collect the outputs in " + outputDir, e);
        }
        skipped.addAll(tooLarge.stream().map(line -> line + ", not collected").toList());
        String refusal = tooLarge.isEmpty() ? null : "Outputs too large: " + String.join("; ", tooLarge)
                + ". Write smaller outputs, or ask the operator to raise the limit";
        return new Collected(outputs, skipped, refusal);
    }

    /** The first component from the work folder down to {@code dir} that is a symbolic link, if any. */
    private static Optional<String> linkOnTheWay(Path workDir, Path dir) {
        Path current = workDir;
        for (Path name : workDir.relativize(dir)) {
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                return Optional.of(workDir.relativize(current).toString());
            }
        }
        return Optional.empty();
    }

    private static int hardLinks(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }

    /** Copies without following a link in the last component and never more than {@code limit} bytes. */
    private static long copyAtMost(Path file, Path copy, long limit) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
                OutputStream out = Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW)) {
            byte[] buffer = new byte[65536];
            long copied = 0;
            int n;
            while (copied < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied))) >= 0) {
                out.write(buffer, 0, n);
                copied += n;
            }
            return copied;
        }
    }

    private static ArtifactType type(String extension) {
        return switch (extension) {
            case "patch", "diff" -> ArtifactType.CODE_PATCH;
            case "md", "html", "txt", "pdf" -> ArtifactType.DOC;
            case "log" -> ArtifactType.LOG;
            case "json", "xml", "csv" -> ArtifactType.REPORT;
            case "jar", "zip", "gz", "tar" -> ArtifactType.BUILD;
            default -> ArtifactType.BINARY;
        };
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot < name.lastIndexOf('/') ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
