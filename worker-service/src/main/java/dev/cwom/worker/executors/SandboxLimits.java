package dev.cwom.worker.executors;

import dev.cwom.worker.WorkerProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The resource limits a sandboxed command runs under, set by {@code prlimit} (soft and hard, so the command cannot
 * raise them) just before it starts. The wall clock is not here: the executor enforces the time budget itself.
 *
 * @param processes RLIMIT_NPROC, the most processes and threads at once (a fork bomb fails to fork past it)
 * @param openFiles RLIMIT_NOFILE, per process
 * @param addressSpaceBytes RLIMIT_AS, per process; 0 for no limit
 * @param fileSizeBytes RLIMIT_FSIZE, the largest file a process may write (SIGXFSZ past it)
 * @param cpuSeconds RLIMIT_CPU, per process (SIGXCPU, then SIGKILL past it)
 */
record SandboxLimits(int processes, int openFiles, long addressSpaceBytes, long fileSizeBytes, long cpuSeconds) {

    /** The limits of a run with budget {@code budget}, from the shell settings. */
    static SandboxLimits of(WorkerProperties.Shell settings, Duration budget) {
        Duration cpu = settings.maxCpuTime() != null ? settings.maxCpuTime()
                : budget.multipliedBy(Runtime.getRuntime().availableProcessors());
        return new SandboxLimits(settings.maxProcesses(), settings.maxOpenFiles(), settings.maxAddressSpaceBytes(),
                settings.maxOutputFileBytes(), Math.max(1, (cpu.toMillis() + 999) / 1000));
    }

    /** The {@code prlimit} command that applies them to {@code argv}. */
    List<String> prlimit(String prlimit, List<String> argv) {
        List<String> command = new ArrayList<>(List.of(prlimit, "--nproc=" + processes, "--nofile=" + openFiles,
                "--fsize=" + fileSizeBytes, "--cpu=" + cpuSeconds));
        if (addressSpaceBytes > 0) {
            command.add("--as=" + addressSpaceBytes);
        }
        command.add("--");
        command.addAll(argv);
        return command;
    }

    /** For the decision log. */
    String describe() {
        return "limits per sandbox: " + processes + " processes, " + openFiles + " open files, "
                + (addressSpaceBytes > 0 ? addressSpaceBytes / (1024 * 1024) + " MiB address space" : "no memory limit")
                + ", files up to " + fileSizeBytes / (1024 * 1024) + " MiB, " + cpuSeconds + " CPU seconds per process";
    }
}
