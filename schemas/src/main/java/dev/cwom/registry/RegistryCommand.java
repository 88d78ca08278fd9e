package dev.cwom.registry;

import dev.cwom.auth.ApiToken;
import dev.cwom.auth.ApiTokens;
import dev.cwom.auth.Scopes;
import dev.cwom.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of {@link SchemaRegistryServer#main}: picocli, like every command line of the project. */
@Command(name = "SchemaRegistryServer", mixinStandardHelpOptions = true,
        description = "A Confluent-compatible schema registry storing schemas in a compacted Kafka topic.")
final class RegistryCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryCommand.class);

    @Option(names = "--kafka", paramLabel = "SERVERS", description = "bootstrap servers of the store "
            + "(required unless --in-memory)")
    @Nullable String kafka;

    @Option(names = "--in-memory", description = "keep schemas in memory only (forgotten on exit)")
    boolean inMemory;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--port", defaultValue = "8081", description = "port, 0 for any free one (default: "
            + "${DEFAULT-VALUE})")
    int port = 8081;

    @Option(names = "--topic", defaultValue = Topics.SCHEMAS, description = "store topic (default: ${DEFAULT-VALUE})")
    String topic = Topics.SCHEMAS;

    @Option(names = "--compatibility", defaultValue = "BACKWARD", converter = LevelConverter.class,
            description = "global compatibility level (default: ${DEFAULT-VALUE})")
    CompatibilityLevel compatibility = CompatibilityLevel.BACKWARD;

    @Option(names = "--writer", paramLabel = "NAME:SHA256", converter = WriterConverter.class,
            description = "a principal allowed to register schemas, with the sha256 of its API token (repeatable;"
                    + " without one, anyone may register)")
    List<ApiToken> writers = new ArrayList<>();

    @Option(names = "--admin", paramLabel = "NAME:SHA256", converter = AdminConverter.class,
            description = "a principal allowed to delete schemas and change modes (scope cwom.admin), with the"
                    + " sha256 of its API token (repeatable; with --writer given and no --admin, nobody may)")
    List<ApiToken> admins = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The settings the options describe. */
    SchemaRegistryServer.Settings settings() {
        if (kafka == null && !inMemory) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kafka=<bootstrap servers> is required (or --in-memory, which forgets schemas on exit)");
        }
        SchemaRegistryServer.Settings settings = SchemaRegistryServer.Settings.defaults().withAddress(host, port)
                .withTopic(topic);
        if (kafka != null) {
            settings = settings.withKafka(kafka);
        }
        settings = new SchemaRegistryServer.Settings(settings.host(), settings.port(), settings.bootstrapServers(),
                settings.topic(), compatibility, settings.storeTimeout(), settings.writers());
        List<ApiToken> tokens = new ArrayList<>(writers);
        tokens.addAll(admins);
        return tokens.isEmpty() ? settings : settings.withWriters(new ApiTokens(tokens));
    }

    @Override
    public Integer call() throws InterruptedException {
        SchemaRegistryServer.Settings settings = settings();
        if (writers.isEmpty() && admins.isEmpty()) {
            LOG.warn("No --writer=<name>:<sha256 of its token> given: anyone who reaches {} may register schemas",
                    settings.host());
        }
        SchemaRegistryServer server = new SchemaRegistryServer(settings);
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "schema-registry-stop"));
        stopped.await();
        return 0;
    }

    static final class LevelConverter implements CommandLine.ITypeConverter<CompatibilityLevel> {
        @Override
        public CompatibilityLevel convert(String value) {
            return CompatibilityLevel.parse(value);
        }
    }

    /** {@code <name>:<sha256 hex of the token>}, with scope {@code schemas.write}. */
    static final class WriterConverter implements CommandLine.ITypeConverter<ApiToken> {
        @Override
        public ApiToken convert(String value) {
            return token(value, Scopes.SCHEMAS_WRITE);
        }
    }

    /** {@code <name>:<sha256 hex of the token>}, with scope {@code cwom.admin}. */
    static final class AdminConverter implements CommandLine.ITypeConverter<ApiToken> {
        @Override
        public ApiToken convert(String value) {
            return token(value, Scopes.ADMIN);
        }
    }

    private static ApiToken token(String value, String scope) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' must be <name>:<sha256 of the token>");
        }
        return new ApiToken(value.substring(0, colon), value.substring(colon + 1), Set.of(scope));
    }
}
