package dev.cwom.ingest.console;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the console's reads ({@code cwom.ingest.console.*}).
 *
 * @param blobsUrl         artifact-service's base URL: only artifact bodies stored there ({@code <blobsUrl>/blobs/
 *                         sha256:<hex>}) are relayed, and the caller's token goes nowhere else
 * @param blobsTimeout     how long the blob store may take to start answering
 * @param rejectionsTimeout how long reading one page of rejected records from Kafka may take
 */
@ConfigurationProperties("cwom.ingest.console")
public record ConsoleProperties(@DefaultValue("http://127.0.0.1:8083") URI blobsUrl,
        @DefaultValue("30s") Duration blobsTimeout, @DefaultValue("10s") Duration rejectionsTimeout) {
}
