package dev.cwom.worker.executors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies what a run's commands print into {@code trace.log}, up to a cap for the whole run. Past the cap the rest is
 * read and dropped (so the command never blocks on a full pipe before it is killed) and {@link Pump#overflow()}
 * completes, which the executor takes as the signal to stop the command. Reading through the worker rather than
 * letting the OS append to the file is what makes the cap possible: a {@code yes} once wrote 79 GB this way.
 */
final class BoundedOutput {

    private final Path log;
    private final long cap;
    private final AtomicLong written = new AtomicLong();

    BoundedOutput(Path log, long cap) {
        this.log = log;
        this.cap = cap;
    }

    long cap() {
        return cap;
    }

    /** Bytes of command output written to the log so far. */
    long written() {
        return written.get();
    }

    /** Starts copying {@code output} (a command's stdout and stderr together) on a thread of its own. */
    Pump pump(InputStream output, String name) {
        Pump pump = new Pump(output);
        Thread thread = new Thread(pump::copy, name);
        thread.setDaemon(true); // a pipe held open by a stray process must not keep the worker from exiting
        thread.start();
        return pump;
    }

    /** The copy of one command's output. */
    final class Pump {

        private final InputStream output;
        private final CompletableFuture<Void> overflow = new CompletableFuture<>();
        private final CompletableFuture<Void> drained = new CompletableFuture<>();
        private volatile boolean stopped;

        private Pump(InputStream output) {
            this.output = output;
        }

        /** Completes when the run's output went past the cap; the rest of the output is dropped. */
        CompletableFuture<Void> overflow() {
            return overflow;
        }

        /**
         * Waits up to {@code wait} for the end of the output (every process holding the pipe gone), then stops
         * writing to the log whatever still comes, so that the caller may append its own lines.
         *
         * @return whether the output ended in time
         */
        boolean finish(Duration wait) throws InterruptedException {
            try {
                drained.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException | ExecutionException e) {
                return false;
            } finally {
                stopped = true;
            }
        }

        private void copy() {
            byte[] buffer = new byte[8192];
            try (InputStream in = output; OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (stopped || overflow.isDone()) {
                        continue; // drain only
                    }
                    long room = cap - written.get();
                    int keep = (int) Math.min(n, Math.max(0, room));
                    out.write(buffer, 0, keep);
                    written.addAndGet(keep);
                    if (keep < n) {
                        out.flush();
                        overflow.complete(null);
                    }
                }
                drained.complete(null);
            } catch (IOException e) {
                drained.completeExceptionally(new UncheckedIOException("Cannot copy command output to " + log, e));
            }
        }
    }
}
