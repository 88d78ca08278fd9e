package dev.cwom.worker.trace;

import dev.cwom.json.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a trace folder into a zip that depends only on the folder's content: entries sorted by path, one fixed
 * timestamp, no permissions or owners, no extra fields. The same files therefore give the same bytes and the same
 * digest, whenever and wherever they are bundled.
 */
public final class TraceBundler {

    public static final String MEDIA_TYPE = "application/zip";

    // The earliest DOS date; set as local time so that the time zone of the worker cannot change the bytes.
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 0);
    private static final int PREVIEW_MAX_CHARS = 2000;
    private static final int PREVIEW_MAX_FILES = 20;
    private static final int PREVIEW_LOG_LINES = 8;
    private static final int LOG_TAIL_BYTES = 8 * 1024;

    /**
     * Bundles {@code folder} into {@code target} (replaced if present). Entries are named {@code <folder-name>/...}
     * so that unpacking gives back the folder. Symbolic links are left out: a command must not be able to smuggle a
     * file from outside its run into the uploaded trace.
     */
    public TraceBundle bundle(Path folder, Path target) {
        String prefix = folder.getFileName() + "/";
        List<Entry> entries = entries(folder);
        MessageDigest sha = Digests.newSha256();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            zip.putNextEntry(zipEntry(prefix));
            zip.closeEntry();
            for (Entry entry : entries) {
                zip.putNextEntry(zipEntry(prefix + entry.name()));
                if (!entry.directory()) {
                    Files.copy(entry.path(), zip);
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bundle trace folder " + folder + " into " + target, e);
        }
        try {
            return new TraceBundle(target, MEDIA_TYPE, Files.size(target), Digests.format(sha.digest()),
                    preview(folder, entries));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bundle " + target, e);
        }
    }

    private static ZipEntry zipEntry(String name) {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(FIXED_TIME);
        return entry;
    }

    private static List<Entry> entries(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> !p.equals(folder))
                    .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                            || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> Entry.of(folder, p))
                    .sorted((a, b) -> a.name().compareTo(b.name()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list trace folder " + folder, e);
        }
    }

    private static String preview(Path folder, List<Entry> entries) throws IOException {
        List<Entry> files = entries.stream().filter(e -> !e.directory()).toList();
        long total = 0;
        for (Entry file : files) {
            total += Files.size(file.path());
        }
        StringBuilder text = new StringBuilder()
                .append("Trace of run ").append(folder.getFileName()).append(": ")
                .append(files.size()).append(" files, ").append(total).append(" bytes\n");
        files.stream().limit(PREVIEW_MAX_FILES).forEach(file -> {
            try {
                text.append("  ").append(file.name()).append(" (").append(Files.size(file.path())).append(" B)\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (files.size() > PREVIEW_MAX_FILES) {
            text.append("  ... and ").append(files.size() - PREVIEW_MAX_FILES).append(" more\n");
        }
        Path log = folder.resolve(TraceFolder.LOG);
        if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
            List<String> lines = lastLines(log);
            if (!lines.isEmpty()) {
                text.append("trace.log, last lines:\n");
                lines.forEach(line -> text.append("  ").append(line).append('\n'));
            }
        }
        return text.length() <= PREVIEW_MAX_CHARS ? text.toString() : text.substring(0, PREVIEW_MAX_CHARS - 3) + "...";
    }

    private static List<String> lastLines(Path log) throws IOException {
        // Only the tail is read: process output can be large. Bytes that are not UTF-8 become replacement characters.
        byte[] tail;
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            long start = Math.max(0, channel.size() - LOG_TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading until the tail is complete
            }
            tail = java.util.Arrays.copyOf(buffer.array(), buffer.position());
        }
        List<String> lines = new ArrayList<>(new String(tail, StandardCharsets.UTF_8).lines().toList());
        if (tail.length == LOG_TAIL_BYTES && !lines.isEmpty()) {
            lines.removeFirst(); // probably cut in the middle
        }
        return lines.subList(Math.max(0, lines.size() - PREVIEW_LOG_LINES), lines.size()).stream().map(l -> l.length() > 160 ? l.substring(0, 157) + "..." : l).toList();
    }

    private record Entry(String name, Path path, boolean directory) {
        static Entry of(Path folder, Path path) {
            StringBuilder name = new StringBuilder();
            for (Path part : folder.relativize(path)) {
                name.append(name.isEmpty() ? "" : "/").append(part);
            }
            boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            return new Entry(directory ? name + "/" : name.toString(), path, directory);
        }
    }
}
