package dev.cwom.worker.executors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a previous instance of this worker left in its work root: processes still running there (with
 * {@code --die-with-parent} there should be none; an unsandboxed run's background process may be) and work folders of
 * runs that never finished (their work orders run again from the start). It only does so while it holds the lock
 * file {@code <work-root>/.lock}, which it keeps until the worker stops: a second live worker on the same work root
 * (another process, or another worker in the same JVM in tests) finds it taken and sweeps nothing. Only folders named
 * like run ids (upper-case letters and digits, at least 10) are touched, so that a work root set by mistake to a
 * shared folder ({@code /tmp}) does not lose its other contents or processes.
 */
public final class WorkRootSweep implements AutoCloseable {

    static final String LOCK = ".lock";
    private static final java.util.regex.Pattern RUN_FOLDER = java.util.regex.Pattern.compile("[0-9A-Z]{10,}");
    private static final Logger log = LoggerFactory.getLogger(WorkRootSweep.class);

    private final @Nullable FileChannel channel;
    private final @Nullable FileLock lock;
    private final int killed;
    private final int deleted;

    private WorkRootSweep(@Nullable FileChannel channel, @Nullable FileLock lock, int killed, int deleted) {
        this.channel = channel;
        this.lock = lock;
        this.killed = killed;
        this.deleted = deleted;
    }

    /** Takes the work root's lock and, when it could, sweeps it. */
    public static WorkRootSweep sweep(Path workRoot) {
        FileChannel channel = null;
        try {
            Files.createDirectories(workRoot);
            channel = FileChannel.open(workRoot.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another worker in this JVM
            }
            if (lock == null) {
                channel.close();
                log.info("Work root {} is in use by another live worker; nothing swept", workRoot);
                return new WorkRootSweep(null, null, 0, 0);
            }
            int killed = killProcessesUnder(workRoot);
            int deleted = deleteFolders(workRoot);
            if (killed + deleted > 0) {
                log.warn("Start-up sweep of {}: killed {} processes and deleted {} work folders a previous instance"
                        + " left behind", workRoot, killed, deleted);
            }
            return new WorkRootSweep(channel, lock, killed, deleted);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot sweep the work root " + workRoot + " at start-up; check that the"
                    + " worker can write there (cwom.worker.work-root)", e);
        }
    }

    int killed() {
        return killed;
    }

    int deleted() {
        return deleted;
    }

    /** Processes whose command line names a run folder of the work root, or whose working directory is in one. */
    static int killProcessesUnder(Path workRoot) {
        long self = ProcessHandle.current().pid();
        String prefix = workRoot + "/";
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
            Path proc = Path.of("/proc", String.valueOf(p.pid()));
            try {
                String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                boolean named = Stream.of(cmdline.split("\0")).anyMatch(arg -> inRunFolder(workRoot, arg, prefix));
                if (named || inRunFolder(workRoot, Files.readSymbolicLink(proc.resolve("cwd")).toString(), prefix)) {
                    found.add(p);
                }
            } catch (IOException | SecurityException e) {
                // Gone meanwhile, or not ours to look at (and then not ours to kill either).
            }
        });
        found.forEach(ProcessHandle::destroyForcibly);
        return found.size();
    }

    private static boolean inRunFolder(Path workRoot, String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        Path relative = workRoot.relativize(Path.of(path));
        return relative.getNameCount() > 0 && RUN_FOLDER.matcher(relative.getName(0).toString()).matches();
    }

    private static int deleteFolders(Path workRoot) throws IOException {
        int deleted = 0;
        try (Stream<Path> entries = Files.list(workRoot)) {
            for (Path entry : entries.filter(p -> RUN_FOLDER.matcher(p.getFileName().toString()).matches()
                    && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                try (Stream<Path> walk = Files.walk(entry)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException e) {
            // Closing the channel below releases it too.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing to do at shutdown.
            }
        }
    }
}
