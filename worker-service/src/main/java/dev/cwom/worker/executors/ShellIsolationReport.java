package dev.cwom.worker.executors;

import dev.cwom.worker.WorkerProperties;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says at start-up how shell runs will be isolated, loudly when they will not be. */
final class ShellIsolationReport {

    static final String UNSANDBOXED = "cwom.worker.shell.isolation is NONE: shell commands run unsandboxed, as the"
            + " worker's own user, with its files, its processes and its network in reach. For development only";
    private static final Logger log = LoggerFactory.getLogger(ShellIsolationReport.class);

    private ShellIsolationReport() {
    }

    static void atStartUp(WorkerProperties.Shell settings, ShellExecutor shell) {
        if (settings.isolation() == WorkerProperties.Isolation.NONE) {
            log.warn(UNSANDBOXED);
            return;
        }
        try {
            Optional<String> unavailable = shell.sandboxUnavailable();
            if (unavailable.isPresent()) {
                log.warn("Shell runs will be refused (policy): {}", unavailable.get());
            } else {
                log.info("Shell runs are sandboxed with {}", settings.bwrapPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
