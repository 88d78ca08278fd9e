package dev.cwom.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of CWOM objects: snake_case names (from the records), nulls left out, ISO-8601 UTC
 * timestamps with milliseconds ({@link UtcInstants}), unknown fields refused so that a misspelt field is an error and not silently lost.
 * Services customise their Spring mapper with {@link #configure(JsonMapper.Builder)} so REST and Kafka agree.
 */
public final class CwomJson {

    private static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

    private CwomJson() {
    }

    /** The shared, thread-safe mapper. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Applies CWOM's settings to a mapper builder. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(UtcInstants.module());
    }
}
