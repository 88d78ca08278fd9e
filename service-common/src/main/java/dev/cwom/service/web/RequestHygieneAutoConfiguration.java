package dev.cwom.service.web;

import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.core.StreamReadConstraints;

/**
 * Request hygiene for every HTTP service ({@link HttpLimitsProperties}, prefix {@code cwom.http}): bounded bodies,
 * query strings that decode, bounded JSON, and problem+json for what Tomcat refuses before the application.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(HttpLimitsProperties.class)
public class RequestHygieneAutoConfiguration {

    /** Ahead of every other filter but character encoding, security included: nothing reads a body before. */
    static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(HttpLimitsProperties properties) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
                new BodyLimitFilter(properties));
        registration.setOrder(FILTER_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<QueryStringFilter> queryStringFilter() {
        FilterRegistrationBean<QueryStringFilter> registration = new FilterRegistrationBean<>(new QueryStringFilter());
        registration.setOrder(FILTER_ORDER + 1);
        return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonFactoryBuilderCustomizer.class)
    static class JsonLimits {

        /** After Boot's own customizer (spring.jackson.factory.*), so that these limits are the ones in force. */
        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        JsonFactoryBuilderCustomizer boundedJson(HttpLimitsProperties properties) {
            HttpLimitsProperties.Json json = properties.json();
            StreamReadConstraints constraints = StreamReadConstraints.builder()
                    .maxNestingDepth(json.maxNestingDepth())
                    .maxStringLength(json.maxStringLength())
                    .maxNumberLength(json.maxNumberLength())
                    .maxNameLength(json.maxNameLength())
                    .maxDocumentLength(json.maxDocumentLength().toBytes())
                    .build();
            return builder -> builder.streamReadConstraints(constraints);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tomcat.class)
    static class TomcatErrors {

        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReports() {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    ProblemErrorReportValve.install(host);
                }
            });
        }
    }
}
