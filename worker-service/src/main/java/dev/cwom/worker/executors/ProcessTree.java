package dev.cwom.worker.executors;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kills a process and everything it started. A process whose parent already exited is re-parented outside the
 * tree and cannot be found this way (see docs/executors.md).
 */
final class ProcessTree {

    private static final int ROUNDS = 3;

    private ProcessTree() {
    }

    /**
     * Kills {@code root} and its descendants with SIGKILL and waits up to {@code wait} for them to be gone. The tree
     * is read again after each round, since a process may fork while it is being killed.
     *
     * @return how many processes were killed
     */
    static int kill(ProcessHandle root, Duration wait) throws InterruptedException {
        Set<ProcessHandle> killed = new LinkedHashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            Set<ProcessHandle> tree = new LinkedHashSet<>();
            // Descendants first, before the root dies and its children are re-parented out of reach.
            root.descendants().forEach(tree::add);
            tree.add(root);
            tree.removeIf(p -> !p.isAlive());
            if (tree.isEmpty()) {
                break;
            }
            tree.forEach(ProcessHandle::destroyForcibly);
            killed.addAll(tree);
        }
        CompletableFuture<?>[] exits = killed.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Reported by the caller through the count; a process that survives SIGKILL is stuck in the kernel.
        }
        return killed.size();
    }
}
