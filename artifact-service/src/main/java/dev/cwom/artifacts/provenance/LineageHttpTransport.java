package dev.cwom.artifacts.provenance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * POSTs OpenLineage events to {@code {url}/api/v1/lineage} (Marquez's and the OpenLineage HTTP transport's path) from
 * a bounded queue on a thread of its own, so a slow or dead endpoint never holds the provenance round, the sink or
 * a worker. An event is tried {@code attempts} times, waits doubling from {@code backoff}; a 4xx other than 408 and
 * 429 is not retried (the endpoint refuses that event). One that cannot be delivered is dropped with a warning and
 * counted ({@link #dropped()}): the Kafka topic {@code cwom.lineage.v1} holds every event for a replay.
 */
final class LineageHttpTransport implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LineageHttpTransport.class);

    private final URI endpoint;
    private final LineageProperties.Http settings;
    private final HttpClient client;
    private final BlockingQueue<String> queue;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile @Nullable Thread thread;

    LineageHttpTransport(URI url, LineageProperties.Http settings) {
        this.endpoint = URI.create(url.toString().replaceAll("/+$", "") + "/api/v1/lineage");
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    }

    /** Queues an event; never blocks. A full queue drops it (the endpoint is behind or down). */
    void offer(String eventJson) {
        if (!queue.offer(eventJson)) {
            long count = dropped.incrementAndGet();
            log.warn("OpenLineage endpoint {} is behind ({} events waiting): an event was dropped ({} so far); it is"
                    + " on the lineage topic", endpoint, settings.queueCapacity(), count);
        }
    }

    long delivered() {
        return delivered.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                deliver(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deliver(String event) throws InterruptedException {
        Duration wait = settings.backoff();
        String last = "";
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(settings.timeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(event));
                if (settings.apiKey() != null) {
                    request.header("Authorization", "Bearer " + settings.apiKey());
                }
                int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    delivered.incrementAndGet();
                    return;
                }
                last = "HTTP " + status;
                if (status / 100 == 4 && status != 408 && status != 429) {
                    break;
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            if (attempt < settings.attempts()) {
                TimeUnit.MILLISECONDS.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
        long count = dropped.incrementAndGet();
        log.warn("Could not POST an OpenLineage event to {} ({}); dropped it ({} so far), it is on the lineage topic",
                endpoint, last, count);
    }

    @Override
    public synchronized void start() {
        Thread started = new Thread(this::run, "lineage-http");
        started.setDaemon(true);
        started.start();
        thread = started;
    }

    @Override
    public synchronized void stop() {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
