package dev.cwom.ingest.web;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.jackson.TypeNameResolver;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The served OpenAPI document ({@code /v3/api-docs}), committed as the contract in docs/openapi.json. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI cwomOpenApi() {
        return new OpenAPI().info(new Info().title("CWOM ingest API").version("v0.1")
                .description("The /cwom REST API for the seven CWOM kinds and the /tasks bridge. Errors are "
                        + "application/problem+json with a stable 'code'; see docs/api.md."));
    }

    /**
     * swagger-core reads models with its own Jackson 2 mapper, which does not see the records' Jackson 3
     * {@code @JsonNaming}; snake_case for every model keeps the document equal to the JSON on the wire.
     */
    @Bean
    ModelResolver snakeCaseModelResolver(ObjectMapperProvider provider) {
        return new ModelResolver(provider.jsonMapper().copy()
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE),
                new QualifiedNestedNames());
    }

    /** Nested records are named with their owner (RunInputs, ContextPacketInputs), so equal simple names never collide. */
    static final class QualifiedNestedNames extends TypeNameResolver {
        @Override
        protected String getNameOfClass(Class<?> type) {
            Class<?> owner = type.getEnclosingClass();
            return owner == null ? super.getNameOfClass(type) : owner.getSimpleName() + type.getSimpleName();
        }
    }
}
