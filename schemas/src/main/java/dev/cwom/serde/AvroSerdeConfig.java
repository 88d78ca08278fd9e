package dev.cwom.serde;

import dev.cwom.serde.SubjectNameStrategy.RecordNameStrategy;
import dev.cwom.serde.SubjectNameStrategy.TopicNameStrategy;
import dev.cwom.serde.SubjectNameStrategy.TopicRecordNameStrategy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The serde's settings, read from Kafka client properties under Confluent's names so that configurations carry over
 * unchanged between this serde and Confluent's.
 *
 * @param registryUrls          {@code schema.registry.url}: comma-separated base URLs, tried in order; or one
 *                              {@code mock://<scope>} for an in-memory registry shared by everything in the JVM using
 *                              the same scope
 * @param autoRegisterSchemas   {@code auto.register.schemas} (default true): register the record's schema when
 *                              serializing; false looks its id up and fails when it is not registered
 * @param useLatestVersion      {@code use.latest.version} (default false): serialize with the subject's latest
 *                              version instead of registering; the record's schema must be that version
 * @param specificAvroReader    {@code specific.avro.reader} (default false): deserialize into the generated classes
 *                              instead of {@code GenericRecord}
 * @param basicAuthUserInfo     {@code basic.auth.user.info} ("user:password"), used when
 *                              {@code basic.auth.credentials.source=USER_INFO}; with the default source {@code URL}
 *                              the credentials come from the URLs' user-info part
 * @param credentialsSource     {@code basic.auth.credentials.source}: {@code URL} (default) or {@code USER_INFO}
 * @param bearerToken           {@code bearer.auth.token}, sent as {@code Authorization: Bearer} when
 *                              {@code bearer.auth.credentials.source=STATIC_TOKEN}; cannot be combined with basic auth
 * @param keySubjectStrategy    {@code key.subject.name.strategy} (default TopicNameStrategy)
 * @param valueSubjectStrategy  {@code value.subject.name.strategy} (default TopicNameStrategy)
 * @param connectTimeout        {@code schema.registry.http.connect.timeout.ms} (default 5 s)
 * @param requestTimeout        {@code schema.registry.http.read.timeout.ms} (default 10 s): bounds each request, so a
 *                              hung registry becomes a {@link RegistryUnavailableException}, not a stuck consumer
 * @param latestCacheTtl        {@code latest.cache.ttl.sec} (default -1: the latest version is fetched once per
 *                              serializer, as Confluent does by default); null for no expiry
 */
public record AvroSerdeConfig(
        List<String> registryUrls,
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        boolean specificAvroReader,
        @Nullable String basicAuthUserInfo,
        CredentialsSource credentialsSource,
        @Nullable String bearerToken,
        SubjectNameStrategy keySubjectStrategy,
        SubjectNameStrategy valueSubjectStrategy,
        Duration connectTimeout,
        Duration requestTimeout,
        @Nullable Duration latestCacheTtl) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.http.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.http.read.timeout.ms";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

    /** Where HTTP basic-auth credentials come from. */
    public enum CredentialsSource { URL, USER_INFO }

    public AvroSerdeConfig {
        registryUrls = List.copyOf(registryUrls);
    }

    /** The strategy for keys or values. */
    public SubjectNameStrategy subjectStrategy(boolean isKey) {
        return isKey ? keySubjectStrategy : valueSubjectStrategy;
    }

    /** True for a {@code mock://} registry. */
    public boolean isMock() {
        return registryUrls.size() == 1 && registryUrls.getFirst().startsWith("mock://");
    }

    /** Reads the settings from Kafka client properties; a wrong one is a {@link ConfigException} naming it. */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "Missing the schema registry: set "
                    + SCHEMA_REGISTRY_URL + " to its URL(s), e.g. http://127.0.0.1:8081, or mock://<scope> in tests");
        }
        List<String> urls = Arrays.stream(url.toString().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (urls.stream().anyMatch(u -> u.startsWith("mock://")) && urls.size() > 1) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "A mock:// registry cannot be combined with others");
        }
        for (String u : urls) {
            if (!u.startsWith("http://") && !u.startsWith("https://") && !u.startsWith("mock://")) {
                throw new ConfigException(SCHEMA_REGISTRY_URL, url,
                        "Each URL must start with http://, https:// or mock://");
            }
        }
        CredentialsSource source = enumValue(configs, BASIC_AUTH_CREDENTIALS_SOURCE, CredentialsSource.URL);
        String userInfo = string(configs, BASIC_AUTH_USER_INFO);
        if (userInfo != null && !userInfo.isEmpty() && source != CredentialsSource.USER_INFO) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, BASIC_AUTH_USER_INFO
                    + " is set but ignored: set " + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO to use it");
        }
        if (source == CredentialsSource.USER_INFO && (userInfo == null || !userInfo.contains(":"))) {
            throw new ConfigException(BASIC_AUTH_USER_INFO, "(hidden)",
                    "With " + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO, set " + BASIC_AUTH_USER_INFO
                            + " to user:password");
        }
        String bearerSource = string(configs, BEARER_AUTH_CREDENTIALS_SOURCE);
        String bearerToken = string(configs, BEARER_AUTH_TOKEN);
        if (bearerSource != null && !bearerSource.isBlank() && !bearerSource.strip().equals("STATIC_TOKEN")) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, bearerSource,
                    "Only STATIC_TOKEN is supported: set it and " + BEARER_AUTH_TOKEN);
        }
        boolean bearer = bearerSource != null && !bearerSource.isBlank();
        if (bearer && (bearerToken == null || bearerToken.isBlank())) {
            throw new ConfigException(BEARER_AUTH_TOKEN, "(hidden)", "With " + BEARER_AUTH_CREDENTIALS_SOURCE
                    + "=STATIC_TOKEN, set " + BEARER_AUTH_TOKEN + " to the token");
        }
        if (bearer && source == CredentialsSource.USER_INFO) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, bearerSource, "Both basic and bearer"
                    + " credentials are configured; keep " + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO or "
                    + BEARER_AUTH_CREDENTIALS_SOURCE + "=STATIC_TOKEN, not both");
        }
        long ttl = number(configs, LATEST_CACHE_TTL_SEC, -1);
        return new AvroSerdeConfig(
                urls,
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, SPECIFIC_AVRO_READER, false),
                source == CredentialsSource.USER_INFO ? userInfo : null,
                source,
                bearer ? bearerToken.strip() : null,
                strategy(configs, KEY_SUBJECT_NAME_STRATEGY),
                strategy(configs, VALUE_SUBJECT_NAME_STRATEGY),
                Duration.ofMillis(number(configs, CONNECT_TIMEOUT_MS, 5_000)),
                Duration.ofMillis(number(configs, REQUEST_TIMEOUT_MS, 10_000)),
                ttl < 0 ? null : Duration.ofSeconds(ttl));
    }

    /** Secrets are never printed. */
    @Override
    public String toString() {
        return "AvroSerdeConfig[registryUrls=" + registryUrls.stream().map(AvroSerdeConfig::withoutUserInfo).toList()
                + ", autoRegisterSchemas=" + autoRegisterSchemas + ", useLatestVersion=" + useLatestVersion
                + ", specificAvroReader=" + specificAvroReader + ", credentialsSource=" + credentialsSource
                + ", bearerToken=" + (bearerToken == null ? "none" : "(hidden)")
                + ", keySubjectStrategy=" + keySubjectStrategy.getClass().getSimpleName()
                + ", valueSubjectStrategy=" + valueSubjectStrategy.getClass().getSimpleName() + "]";
    }

    static String withoutUserInfo(String url) {
        return url.replaceFirst("^(https?://)[^/@]*@", "$1");
    }

    private static SubjectNameStrategy strategy(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return new TopicNameStrategy();
        }
        if (value instanceof SubjectNameStrategy strategy) {
            return strategy;
        }
        String name = value instanceof Class<?> c ? c.getName() : value.toString().trim();
        String simple = name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
        // Confluent's class names (io.confluent.kafka.serializers.subject.*) map to ours, so configs carry over
        switch (simple) {
            case "TopicNameStrategy":
                return new TopicNameStrategy();
            case "RecordNameStrategy":
                return new RecordNameStrategy();
            case "TopicRecordNameStrategy":
                return new TopicRecordNameStrategy();
            default:
                break;
        }
        try {
            Class<?> type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
            return (SubjectNameStrategy) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ConfigException(key, value, "Not a subject name strategy: use TopicNameStrategy,"
                    + " RecordNameStrategy, TopicRecordNameStrategy or a class implementing "
                    + SubjectNameStrategy.class.getName() + " with a public no-arg constructor");
        }
    }

    private static @Nullable String string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        return value == null ? null : value.toString();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "Expected true or false");
    }

    private static long number(Map<String, ?> configs, String key, long defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "Expected a whole number");
        }
    }

    private static <E extends Enum<E>> E enumValue(Map<String, ?> configs, String key, E defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(defaultValue.getDeclaringClass(), value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, "Expected one of "
                    + Arrays.toString(defaultValue.getDeclaringClass().getEnumConstants()));
        }
    }
}
