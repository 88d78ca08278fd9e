package dev.cwom.worker.executors;

import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Builds the command line that runs one command in a bubblewrap sandbox of its own: new user, PID, mount, IPC, UTS
 * and (unless the run may use it) network namespaces; uid and gid 65534 inside; a read-only system ({@code /usr},
 * the {@code /bin}, {@code /lib*}, {@code /sbin} links, the {@code /etc} files listed below); a fresh {@code /proc}
 * and a minimal {@code /dev}; the run's work folder at {@link #WORK} as the only writable place besides a private,
 * size-limited {@code /tmp}; exactly the environment given (plus {@code PWD}, which bubblewrap sets); killed with the worker ({@code --die-with-parent}) and,
 * since its init is PID 1 of the namespace, every process of the command dies when the command does. Resource limits
 * ({@link SandboxLimits}) are set by {@code prlimit} inside, just before the command.
 *
 * <p>When the worker runs as root, bubblewrap is started through {@code setpriv} as {@code sandbox-uid}: a sandbox
 * owned by root on the host would write root's files and, worse, be exempt from RLIMIT_NPROC (the kernel never
 * limits root's process count), so a fork bomb would not be stopped.
 */
final class BubblewrapSandbox {

    /** Where the run's work folder is inside the sandbox. */
    static final String WORK = "/work";
    /** The uid and gid a command has inside the sandbox. */
    static final int INSIDE_ID = 65534;

    /** {@code /etc} files every command gets: users and groups, the loader cache, time zone, TLS roots. */
    static final List<String> ETC = List.of("passwd", "group", "nsswitch.conf", "os-release", "ld.so.cache",
            "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "ssl/certs", "ssl/openssl.cnf",
            "ca-certificates.conf");
    /** {@code /etc} files only a run with the network gets: name resolution. */
    static final List<String> ETC_NETWORK = List.of("resolv.conf", "hosts", "host.conf", "gai.conf");
    private static final List<String> TOP_LEVEL = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

    private final WorkerProperties.Shell settings;
    private final boolean root;
    private volatile @Nullable Optional<String> unavailable; // null until probed

    BubblewrapSandbox(WorkerProperties.Shell settings) {
        this.settings = settings;
        this.root = currentUid() == 0;
    }

    /** Why no sandbox can be made on this host (probed once, by starting one), or empty when it can. */
    Optional<String> unavailable() throws InterruptedException {
        Optional<String> known = unavailable;
        if (known == null) {
            known = probe();
            unavailable = known;
        }
        return known;
    }

    /**
     * Makes the fresh work folder usable from inside: when the sandbox runs as {@code sandbox-uid}, hands the folder
     * to it and checks that it can reach it.
     *
     * @return why the sandbox cannot use this folder, with the fix; empty when it can
     */
    Optional<String> prepare(Path workDir) {
        if (!root) {
            return Optional.empty();
        }
        for (Path dir = workDir.getParent(); dir != null; dir = dir.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.of("The sandbox runs as uid " + settings.sandboxUid() + " (the worker is root),"
                            + " which cannot reach the work folder " + workDir + ": " + dir + " is not searchable"
                            + " by others; give it o+x (chmod o+x " + dir + ") or set cwom.worker.work-root to a"
                            + " folder under a searchable path");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the permissions of " + dir, e);
            }
        }
        try (Stream<Path> walk = Files.walk(workDir)) {
            for (Path p : walk.toList()) {
                Files.setAttribute(p, "unix:uid", settings.sandboxUid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", settings.sandboxUid(), LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot hand the work folder " + workDir + " to uid "
                    + settings.sandboxUid(), e);
        }
        return Optional.empty();
    }

    /**
     * The command line that runs {@code argv} (its tool an absolute path under a folder the sandbox sees) sandboxed.
     *
     * @param env the command's whole environment; its paths must be the ones inside (under {@link #WORK})
     */
    List<String> command(Path workDir, boolean network, SandboxLimits limits, Map<String, String> env,
            List<String> argv) {
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of("--unshare-all", network ? "--share-net" : "--unshare-net", "--die-with-parent",
                "--new-session", "--uid", String.valueOf(INSIDE_ID), "--gid", String.valueOf(INSIDE_ID),
                "--hostname", "cwom-run"));
        command.addAll(system());
        for (String etc : network ? concat(ETC, ETC_NETWORK) : ETC) {
            command.addAll(List.of("--ro-bind-try", "/etc/" + etc, "/etc/" + etc));
        }
        command.addAll(List.of("--proc", "/proc", "--dev", "/dev",
                "--size", String.valueOf(settings.tmpBytes()), "--tmpfs", "/tmp",
                "--bind", workDir.toString(), WORK, "--chdir", WORK,
                // The sandbox's root is a tmpfs of bubblewrap's; read-only, so that /work and /tmp stay the only
                // writable places.
                "--remount-ro", "/", "--clearenv"));
        env.forEach((key, value) -> command.addAll(List.of("--setenv", key, value)));
        command.add("--");
        command.addAll(limits.prlimit(prlimit(), argv));
        return command;
    }

    /** The environment bubblewrap itself is started with: nothing of the worker's. */
    static Map<String, String> launcherEnvironment() {
        return Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");
    }

    /** {@code /usr} and the top-level links or folders into it; the PATH and configured folders, read-only. */
    private List<String> system() {
        List<String> args = new ArrayList<>(List.of("--ro-bind", "/usr", "/usr"));
        for (String name : TOP_LEVEL) {
            Path top = Path.of("/", name);
            if (Files.isSymbolicLink(top)) {
                try {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(top).toString(), top.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read the link " + top, e);
                }
            } else if (Files.isDirectory(top)) {
                args.addAll(List.of("--ro-bind", top.toString(), top.toString()));
            }
        }
        List<String> extra = new ArrayList<>();
        for (String dir : settings.path().split(":")) {
            if (!dir.isEmpty() && !dir.startsWith("/usr/") && !TOP_LEVEL.contains(dir.substring(1))) {
                extra.add(dir);
            }
        }
        settings.readOnlyPaths().forEach(p -> extra.add(p.toAbsolutePath().normalize().toString()));
        extra.stream().distinct().forEach(dir -> args.addAll(List.of("--ro-bind-try", dir, dir)));
        return args;
    }

    /** bubblewrap, through setpriv as {@code sandbox-uid} when the worker is root. */
    private List<String> launcher() {
        String bwrap = settings.bwrapPath().toString();
        if (!root) {
            return List.of(bwrap);
        }
        String id = String.valueOf(settings.sandboxUid());
        return List.of(setpriv(), "--reuid=" + id, "--regid=" + id, "--clear-groups", "--", bwrap);
    }

    private Optional<String> probe() throws InterruptedException {
        if (!Files.isExecutable(settings.bwrapPath())) {
            return Optional.of("bubblewrap is not installed at cwom.worker.shell.bwrap-path " + settings.bwrapPath()
                    + "; install it (Debian: apt-get install bubblewrap) or point bwrap-path at it");
        }
        if (Executables.which("prlimit", "/usr/bin:/bin").isEmpty()) {
            return Optional.of("prlimit (util-linux) is not installed in /usr/bin; install util-linux");
        }
        if (root && Executables.which("setpriv", "/usr/bin:/bin").isEmpty()) {
            return Optional.of("the worker runs as root, so its sandboxes are started as uid " + settings.sandboxUid()
                    + " through setpriv (util-linux), which is not installed in /usr/bin; install util-linux");
        }
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of("--unshare-all", "--die-with-parent", "--uid", String.valueOf(INSIDE_ID),
                "--gid", String.valueOf(INSIDE_ID)));
        command.addAll(system());
        command.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--", prlimit(), "--nofile=64", "--", "true"));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(launcherEnvironment());
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("a test sandbox did not finish within 10 s (" + String.join(" ", command) + ")");
            }
            String output = new String(process.getInputStream().readNBytes(2000), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? Optional.empty() : Optional.of("a test sandbox failed with exit code "
                    + process.exitValue() + ": " + output + "; the host must allow user namespaces (in a container:"
                    + " --security-opt seccomp=unconfined and apparmor=unconfined, or --cap-add SYS_ADMIN; see"
                    + " docs/executors.md)");
        } catch (IOException e) {
            return Optional.of("bubblewrap at " + settings.bwrapPath() + " cannot be started: " + e.getMessage());
        }
    }

    private static String prlimit() {
        return Executables.which("prlimit", "/usr/bin:/bin").map(Path::toString).orElse("/usr/bin/prlimit");
    }

    private static String setpriv() {
        return Executables.which("setpriv", "/usr/bin:/bin").map(Path::toString).orElse("/usr/bin/setpriv");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int currentUid() {
        try {
            // /proc/self belongs to the process's effective uid; no native call needed.
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
