package dev.cwom.worker.executors;

import dev.cwom.model.ArtifactType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns the files a run left in its output folder into outputs. They are copied into the trace's {@code artifacts/}
 * so that the trace bundle holds them and the working directory can go. Symbolic links are skipped: a command must
 * not be able to publish a file from outside its working directory by linking to it.
 */
final class OutputFiles {

    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("json", "application/json"), Map.entry("txt", "text/plain"), Map.entry("log", "text/plain"),
            Map.entry("md", "text/markdown"), Map.entry("html", "text/html"), Map.entry("csv", "text/csv"),
            Map.entry("xml", "application/xml"), Map.entry("patch", "text/x-diff"), Map.entry("diff", "text/x-diff"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("jar", "application/java-archive"),
            Map.entry("png", "image/png"), Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"));

    private OutputFiles() {
    }

    static List<ExecutionOutput> collect(Path outputDir, Path artifactsDir) {
        if (!Files.isDirectory(outputDir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<ExecutionOutput> outputs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(outputDir)) {
            List<Path> files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            for (Path file : files) {
                String relative = outputDir.relativize(file).toString().replace('\\', '/');
                Path copy = artifactsDir.resolve(outputDir.getFileName().toString()).resolve(relative);
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
                String extension = extension(relative);
                outputs.add(ExecutionOutput.file(relative, type(extension),
                        MEDIA_TYPES.getOrDefault(extension, "application/octet-stream"), copy));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot collect the outputs in " + outputDir, e);
        }
        return outputs;
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
