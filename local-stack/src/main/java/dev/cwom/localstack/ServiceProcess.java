package dev.cwom.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One Spring Boot service of the pipeline run as a child JVM from its executable jar ({@code java -jar}), so each
 * service keeps its own classpath, {@code application.yml} and auto-configuration. Properties are passed as
 * {@code --name=value} arguments, which outrank everything in the jar's configuration.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final Path logFile;
    private final Path workingDirectory;
    private final List<String> jvmOptions;
    private @Nullable ChildProcess process;

    /**
     * @param name             shown in tables and messages, e.g. {@code worker-service #2}
     * @param jar              the service's executable Boot jar
     * @param port             its HTTP port ({@code server.port} is set from it)
     * @param properties       further Spring properties, e.g. {@code spring.kafka.bootstrap-servers}
     * @param environment      environment variables; secrets go here, since a command line is visible to others
     * @param logFile          where its stdout and stderr go
     * @param workingDirectory its working directory
     * @param jvmOptions       options of its JVM besides the heap, e.g. {@code -XX:TieredStopAtLevel=1}
     */
    public ServiceProcess(String name, Path jar, int port, Map<String, String> properties,
                          Map<String, String> environment, Path logFile, Path workingDirectory,
                          List<String> jvmOptions) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.properties = new LinkedHashMap<>(properties);
        this.properties.put("server.port", Integer.toString(port));
        this.properties.put("server.address", "127.0.0.1");
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.workingDirectory = workingDirectory;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts the JVM (without waiting); see {@link #awaitHealthy(Duration)}. */
    public void start() {
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xms64m", "-Xmx384m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Djava.awt.headless=true", "-jar", jar.toString()));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        process = ChildProcess.start(name, command, environment, logFile, workingDirectory);
    }

    /** Waits until {@code /actuator/health} answers UP; fails early, with the log's last lines, if the JVM exits. */
    public void awaitHealthy(Duration timeout) {
        ChildProcess running = process;
        if (running == null) {
            throw new IllegalStateException(name + " was not started");
        }
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            if (!running.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up. Last lines of " + logFile + ":"
                        + System.lineSeparator() + running.logTail(40));
            }
            try {
                HttpResponse<String> response = HTTP.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the service has not opened its port yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " did not report UP at " + baseUrl() + "/actuator/health"
                        + " within " + timeout.toSeconds() + "s (raise it with --startup-timeout). Last lines of "
                        + logFile + ":" + System.lineSeparator() + running.logTail(40));
            }
            running.awaitExit(Duration.ofMillis(250));
        }
    }

    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    /** The process id, or -1 before start. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM (Boot's graceful shutdown), then a kill after {@code grace}. */
    public void stop(Duration grace) {
        if (process != null) {
            process.stop(grace);
        }
    }

    /**
     * SIGKILL, as a crash or the OOM killer would end it: no shutdown hook, no graceful anything. For crash tests;
     * {@link #start()} starts it again on the same port with the same settings.
     */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }
}
