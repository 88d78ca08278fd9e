package dev.cwom.serde;

/** Makes the registry client a configuration asks for. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    /** A {@code mock://} scope's client, or a caching HTTP client for the configured URLs. */
    public static SchemaRegistryClient create(AvroSerdeConfig config) {
        if (config.isMock()) {
            return MockSchemaRegistry.clientForScope(MockSchemaRegistry.scopeOf(config.registryUrls().getFirst()));
        }
        return new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(config), config.latestCacheTtl());
    }
}
