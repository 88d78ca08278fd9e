package dev.cwom.ingest.sinkcontract;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cwom.ingest.IngestProperties;
import java.sql.DriverManager;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where the sink contract reads and listens: ingest's own database by default, the sink's when
 * {@code cwom.ingest.sink-contract.url} is set. A database of the sink's gets a small pool of its own, kept out of
 * the context as a DataSource (a second DataSource bean would turn off ingest's own, auto-configured one).
 */
@Configuration(proxyBeanMethods = false)
class SinkContractConfiguration {

    /** The sink's database when it is not ingest's: its pool, closed with the context. */
    static final class SinkDatabase implements AutoCloseable {

        private final @Nullable HikariDataSource own;
        private final JdbcClient jdbc;

        SinkDatabase(@Nullable HikariDataSource own, JdbcClient jdbc) {
            this.own = own;
            this.jdbc = jdbc;
        }

        @Override
        public void close() {
            if (own != null) {
                own.close();
            }
        }
    }

    @Bean
    SinkDatabase sinkDatabase(IngestProperties properties, JdbcClient ingestJdbc) {
        IngestProperties.SinkContract contract = properties.sinkContract();
        if (contract.url() == null) {
            return new SinkDatabase(null, ingestJdbc);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("sink-contract");
        config.setJdbcUrl(contract.url());
        config.setUsername(contract.username());
        config.setPassword(contract.password());
        config.setMaximumPoolSize(4);
        config.setReadOnly(true);
        HikariDataSource own = new HikariDataSource(config);
        return new SinkDatabase(own, JdbcClient.create(own));
    }

    @Bean
    SinkContract sinkContract(SinkDatabase database) {
        return new SinkContract(database.jdbc);
    }

    @Bean
    SinkStoredSignal sinkStoredSignal(IngestProperties properties, DataSourceProperties ingestDatabase) {
        IngestProperties.SinkContract contract = properties.sinkContract();
        String url = contract.url() != null ? contract.url() : ingestDatabase.determineUrl();
        String username = contract.url() != null ? contract.username() : ingestDatabase.determineUsername();
        String password = contract.url() != null ? contract.password() : ingestDatabase.determinePassword();
        return new SinkStoredSignal(() -> DriverManager.getConnection(url, username, password),
                contract.reconnectInterval(), contract.pollInterval()).start();
    }
}
