package dev.cwom.ingest.web;

import dev.cwom.json.CwomJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Spring's JSON mapper gets CWOM's settings, so REST bodies are exactly the model's JSON. */
@Configuration(proxyBeanMethods = false)
class CwomJsonConfiguration {

    /** Runs after Boot's own customizer so CWOM's settings (unknown fields refused, ...) win. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    JsonMapperBuilderCustomizer cwomJson() {
        return CwomJson::configure;
    }
}
