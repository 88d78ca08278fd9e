package dev.cwom.cli.client;

import dev.cwom.auth.SecretFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Where {@code cwom} finds the service and its token when no option names them: a properties file written by
 * {@code cwom login}, readable by its owner only (0600) because it holds a token. Keys: {@code url} (ingest-service),
 * {@code token}, {@code blobs_url} (artifact-service, the only other origin the token is sent to), {@code kafka} and
 * {@code registry_url} (for {@code submit --via kafka}).
 */
public record Profile(@Nullable String url, @Nullable String token, @Nullable String blobsUrl,
                      @Nullable String kafka, @Nullable String registryUrl) {

    public static final Profile EMPTY = new Profile(null, null, null, null, null);

    /** {@code $XDG_CONFIG_HOME/cwom/profile}, else {@code ~/.config/cwom/profile} (the XDG default). */
    public static Path defaultPath(Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".config");
        return config.resolve("cwom").resolve("profile");
    }

    /** The profile at {@code file}, or {@link #EMPTY} when there is none. */
    public static Profile read(Path file) {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "Cannot read the profile " + file + ": " + e.getMessage(), e);
        }
        return new Profile(value(properties, "url"), value(properties, "token"), value(properties, "blobs_url"),
                value(properties, "kafka"), value(properties, "registry_url"));
    }

    /** Writes the profile atomically, created 0600 where the file system has POSIX permissions. */
    public void write(Path file) {
        Properties properties = new Properties();
        put(properties, "url", url);
        put(properties, "token", token);
        put(properties, "blobs_url", blobsUrl);
        put(properties, "kafka", kafka);
        put(properties, "registry_url", registryUrl);
        try {
            StringWriter text = new StringWriter();
            properties.store(text, "cwom profile, written by cwom login; holds a token: keep it 0600");
            SecretFiles.writeOwnerOnly(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the profile " + file, e);
        }
    }

    private static @Nullable String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void put(Properties properties, String key, @Nullable String value) {
        if (value != null) {
            properties.setProperty(key, value);
        }
    }
}
