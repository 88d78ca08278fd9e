package dev.cwom.localstack;

import dev.cwom.auth.ApiToken;
import dev.cwom.auth.ApiTokens;
import dev.cwom.auth.SecretFiles;
import dev.cwom.auth.Scopes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's API tokens: made on first start, written to {@code <data-dir>/credentials.env} (readable by its
 * owner only) and reused on every later start. The services get only their hashes; a token itself goes to the one
 * process that presents it, through its environment, never its command line.
 */
public final class Credentials {

    /** The file's name in the data folder. */
    public static final String FILE_NAME = "credentials.env";

    /** Each token's variable, principal name and scopes. */
    enum Token {
        ADMIN("CWOM_ADMIN_TOKEN", "local-admin", Scopes.ALL),
        SUBMIT("CWOM_SUBMIT_TOKEN", "local-submit", List.of(Scopes.SUBMIT, Scopes.READ, Scopes.BLOBS_READ)),
        READ("CWOM_READ_TOKEN", "local-read", List.of(Scopes.READ, Scopes.BLOBS_READ)),
        REPORT("CWOM_REPORT_TOKEN", "local-agent",
                List.of(Scopes.REPORT, Scopes.READ, Scopes.BLOBS_WRITE, Scopes.BLOBS_READ)),
        WORKER("CWOM_WORKER_TOKEN", "worker", List.of(Scopes.BLOBS_WRITE, Scopes.SCHEMAS_WRITE)),
        INGEST("CWOM_INGEST_TOKEN", "ingest-service", List.of(Scopes.SCHEMAS_WRITE)),
        SINK("CWOM_SINK_TOKEN", "artifact-service", List.of(Scopes.SCHEMAS_WRITE));

        final String variable;
        final String principal;
        final List<String> scopes;

        Token(String variable, String principal, List<String> scopes) {
            this.variable = variable;
            this.principal = principal;
            this.scopes = scopes;
        }
    }

    private final Path file;
    private final Map<Token, String> tokens;

    private Credentials(Path file, Map<Token, String> tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    /** The tokens in {@code dataDir}, made and written there first if the file or a token in it is missing. */
    public static Credentials loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Map<String, String> existing = Files.exists(file) ? read(file) : Map.of();
        Map<Token, String> tokens = new LinkedHashMap<>();
        boolean changed = false;
        for (Token token : Token.values()) {
            String value = existing.get(token.variable);
            if (value == null || value.isBlank()) {
                value = ApiTokens.generate();
                changed = true;
            }
            tokens.put(token, value);
        }
        Credentials credentials = new Credentials(file, tokens);
        if (changed) {
            credentials.write();
        }
        return credentials;
    }

    public Path file() {
        return file;
    }

    /** Every scope: the operator. */
    public String admin() {
        return tokens.get(Token.ADMIN);
    }

    public String submit() {
        return tokens.get(Token.SUBMIT);
    }

    public String read() {
        return tokens.get(Token.READ);
    }

    public String report() {
        return tokens.get(Token.REPORT);
    }

    public String worker() {
        return tokens.get(Token.WORKER);
    }

    public String ingest() {
        return tokens.get(Token.INGEST);
    }

    public String sink() {
        return tokens.get(Token.SINK);
    }

    /** The environment of ingest-service: its registry credentials. */
    Map<String, String> ingestEnvironment() {
        return registryCredentials(Token.INGEST.principal, ingest());
    }

    /** The environment of artifact-service: its registry credentials. */
    Map<String, String> sinkEnvironment() {
        return registryCredentials(Token.SINK.principal, sink());
    }

    /** The environment of a worker: its registry credentials and its blob store token. */
    Map<String, String> workerEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(registryCredentials(Token.WORKER.principal, worker()));
        environment.put("CWOM_WORKER_BLOBS_TOKEN", worker());
        return environment;
    }

    /** Every token as the services know it (hash, principal, scopes), for the schema registry in this JVM. */
    public ApiTokens apiTokens() {
        return new ApiTokens(tokens.entrySet().stream().map(entry -> new ApiToken(entry.getKey().principal,
                ApiTokens.sha256Hex(entry.getValue()), new java.util.LinkedHashSet<>(entry.getKey().scopes)))
                .toList());
    }

    /**
     * The environment that makes a service's Avro serde register schemas as {@code principal}: Confluent's
     * {@code basic.auth.*} client properties, with the token as the password.
     */
    static Map<String, String> registryCredentials(String principal, String token) {
        return Map.of("SPRING_KAFKA_PROPERTIES_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO",
                "SPRING_KAFKA_PROPERTIES_BASIC_AUTH_USER_INFO", principal + ":" + token);
    }

    /** {@code cwom.security.api-tokens[i].*} for every token: names, hashes and scopes, never the tokens. */
    public Map<String, String> serviceProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<Token, String> entry : tokens.entrySet()) {
            String prefix = "cwom.security.api-tokens[" + index++ + "].";
            properties.put(prefix + "name", entry.getKey().principal);
            properties.put(prefix + "sha256", ApiTokens.sha256Hex(entry.getValue()));
            properties.put(prefix + "scopes", String.join(",", entry.getKey().scopes));
        }
        return properties;
    }

    private void write() {
        StringBuilder text = new StringBuilder("""
                # API tokens of the local stack, made on its first start; the services hold only their SHA-256.
                # Use one with: curl -H "Authorization: Bearer $CWOM_SUBMIT_TOKEN" ...  (source this file first)
                # Delete this file to get new tokens on the next start.
                """);
        for (Token token : Token.values()) {
            text.append("# ").append(token.principal).append(": ").append(String.join(" ", token.scopes))
                    .append('\n').append(token.variable).append('=').append(tokens.get(token)).append('\n');
        }
        try {
            SecretFiles.writeOwnerOnly(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the local stack's tokens to " + file + ": "
                    + e.getMessage() + "; check that the data folder is writable", e);
        }
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                int equals = trimmed.indexOf('=');
                if (!trimmed.startsWith("#") && equals > 0) {
                    values.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the local stack's tokens from " + file + ": "
                    + e.getMessage(), e);
        }
        return values;
    }
}
