package dev.cwom.artifacts.sink;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cwom.artifacts.blobs.BlobStore;
import dev.cwom.events.Topics;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.KafkaAvroSerializer;
import dev.cwom.service.migration.OwnedMigrations;
import dev.cwom.testing.SharedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not a test: measures the sink's write path (decode, verify, fold, upsert, commit; everything after the broker's
 * fetch) in rows per second and compares it with a raw JDBC batch insert of the very same final rows into an empty
 * copy of the schema, in the same JVM and on the same PostgreSQL. Run it as documented in docs/operations.md
 * ("Sink throughput"); the optional argument is the number of runs (default 5000; each run is four events and
 * gives two rows, one run and one artifact).
 */
public final class SinkThroughputBenchmark {

    private static final int BATCH = 500;
    private static final int ROUNDS = 3;
    private static final String REGISTRY = "mock://sink-benchmark";

    private SinkThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 5_000;
        System.out.printf("Sink throughput: %d runs, %d events, batches of %d records%n", runs, runs * 4, BATCH);
        for (Layout layout : Layout.values()) {
            measure(layout, Math.max(BATCH, runs / 10));
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                Result result = measure(layout, runs);
                ratios.add(result.ratio());
                System.out.printf("%-44s round %d: sink %6.0f rows/s (%d rows in %.2f s), raw JDBC %6.0f rows/s"
                        + " (%.2f s), ratio %.2f%s%n", layout.description, round, result.sinkRowsPerSecond(),
                        result.rows, result.sinkSeconds, result.baselineRowsPerSecond(), result.baselineSeconds,
                        result.ratio(), result.hot());
            }
            ratios.sort(null);
            System.out.printf("%-44s median ratio %.2f%n", layout.description, ratios.get(ratios.size() / 2));
        }
        System.exit(0);
    }

    /** How the four events of a run spread over the polled batches. */
    enum Layout {
        SAME_BATCH("lifecycle within one batch (1 upsert/run)"),
        SPREAD("each event in another batch (4 upserts/run)");

        final String description;

        Layout(String description) {
            this.description = description;
        }
    }

    private static Result measure(Layout layout, int runs) throws Exception {
        try (HikariDataSource sinkDb = database("bench_sink"); HikariDataSource rawDb = database("bench_raw")) {
            // the sink keeps its issues' ids without foreign keys into ingest's tables: nothing to seed
            SinkFixtures.Issue issue = new SinkFixtures.Issue(dev.cwom.model.Ids.newUlid(),
                    dev.cwom.model.Ids.newUlid());
            List<List<ConsumerRecord<byte[], byte[]>>> batches = batches(layout, issue, runs);

            BlobStore store = new BlobStore(Files.createTempDirectory("sink-benchmark-blobs"), 1024);
            KafkaAvroDeserializer values = new KafkaAvroDeserializer();
            values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY,
                    AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
            SinkBatchListener listener = new SinkBatchListener(
                    new EventDecoder(values, new ArtifactVerifier(store, null,
                            org.springframework.util.unit.DataSize.ofMegabytes(64))),
                    new SinkWriter(new JdbcTemplate(sinkDb)),
                    new TransactionTemplate(new DataSourceTransactionManager(sinkDb)),
                    dev.cwom.service.tracing.TraceHeaders.standalone());

            long start = System.nanoTime();
            for (List<ConsumerRecord<byte[], byte[]>> batch : batches) {
                listener.onMessage(batch);
            }
            double sinkSeconds = (System.nanoTime() - start) / 1e9;
            String hot = layout == Layout.SPREAD ? hotUpdates(sinkDb, 3L * runs) : "";

            List<Object[]> runRows = rows(sinkDb, "cwom_runs");
            List<Object[]> artifactRows = rows(sinkDb, "cwom_artifacts");
            int rows = runRows.size() + artifactRows.size();
            if (rows != 2 * runs) {
                throw new IllegalStateException("The sink wrote " + rows + " rows, expected " + 2 * runs);
            }
            // The same rows in as many transactions as the sink used, each one JDBC batch per table.
            int perTransaction = Math.max(1, runs / batches.size());
            start = System.nanoTime();
            try (Connection c = rawDb.getConnection()) {
                c.setAutoCommit(false);
                for (int from = 0; from < runs; from += perTransaction) {
                    int to = Math.min(runs, from + perTransaction);
                    insert(c, "cwom_runs", runRows.subList(from, to));
                    insert(c, "cwom_artifacts", artifactRows.subList(from, to));
                    c.commit();
                }
            }
            double baselineSeconds = (System.nanoTime() - start) / 1e9;
            return new Result(rows, sinkSeconds, baselineSeconds, hot);
        }
    }

    private static List<List<ConsumerRecord<byte[], byte[]>>> batches(Layout layout, SinkFixtures.Issue issue,
            int runs) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY), false);
        Instant t0 = SinkFixtures.now();
        List<List<SpecificRecord>> lifecycles = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String run = dev.cwom.model.Ids.newUlid();
            String artifact = dev.cwom.model.Ids.newUlid();
            lifecycles.add(List.of(
                    SinkFixtures.started(issue, run, t0),
                    SinkFixtures.heartbeat(issue, run, t0.plusSeconds(1)),
                    SinkFixtures.artifact(issue, run, artifact, t0.plusSeconds(2), "https://example.org/" + artifact,
                            null),
                    SinkFixtures.finished(issue, run, t0, t0.plusSeconds(3), dev.cwom.events.RunOutcome.done,
                            List.of(artifact))));
        }
        int perWave = BATCH / 4;
        List<List<SpecificRecord>> eventBatches = new ArrayList<>();
        for (int wave = 0; wave * perWave < runs; wave++) {
            List<List<SpecificRecord>> members = lifecycles.subList(wave * perWave, Math.min(runs,
                    (wave + 1) * perWave));
            for (int step = 0; step < 4; step++) {
                // SAME_BATCH: a wave's four steps share one batch; SPREAD: each step of a wave is a batch of its own.
                int target = layout == Layout.SAME_BATCH ? wave : wave * 4 + step;
                while (eventBatches.size() <= target) {
                    eventBatches.add(new ArrayList<>());
                }
                for (List<SpecificRecord> lifecycle : members) {
                    eventBatches.get(target).add(lifecycle.get(step));
                }
            }
        }
        List<List<ConsumerRecord<byte[], byte[]>>> batches = new ArrayList<>();
        long offset = 0;
        for (List<SpecificRecord> events : eventBatches) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (SpecificRecord event : events) {
                boolean isRun = event instanceof dev.cwom.events.RunEvent;
                String topic = isRun ? Topics.RUNS : Topics.ARTIFACTS;
                String key = isRun ? ((dev.cwom.events.RunEvent) event).getRunId()
                        : ((dev.cwom.events.ArtifactCreated) event).getRunId();
                records.add(new ConsumerRecord<>(topic, 0, offset++, key.getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, event)));
            }
            batches.add(records);
        }
        return batches;
    }

    /**
     * How many of the sink's updates of cwom_runs were HOT (in place, no new index entries), as PostgreSQL's
     * statistics say once the sink's sessions have reported all {@code expected} updates (they report when idle,
     * within seconds; after 15 s the numbers are shown as they are).
     */
    private static String hotUpdates(HikariDataSource db, long expected) throws SQLException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT n_tup_upd,"
                + " n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'cwom_runs'")) {
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long updates = rs.getLong(1);
                    long hot = rs.getLong(2);
                    if (updates >= expected || System.nanoTime() > deadline) {
                        return String.format(", HOT updates %d of %d", hot, updates);
                    }
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ", HOT updates unknown";
                }
            }
        }
    }

    private static HikariDataSource database(String prefix) {
        String url = SharedPostgres.newDatabase(prefix);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        HikariDataSource db = new HikariDataSource(config);
        OwnedMigrations.SINK.migrate(OwnedMigrations.SINK.flyway(db));
        return db;
    }

    private static List<Object[]> rows(HikariDataSource db, String table) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM " + table + " ORDER BY " + (table.equals("cwom_runs") ? "id" : "run_id"));
                ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Object[] row = new Object[meta.getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static void insert(Connection c, String table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table + " WHERE false");
                ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i));
                types.add(meta.getColumnTypeName(i));
            }
        }
        List<String> params = types.stream().map(t -> t.equals("jsonb") ? "?::jsonb" : "?").toList();
        String sql = "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", params) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    Object value = row[i];
                    if (value instanceof org.postgresql.util.PGobject json) {
                        ps.setString(i + 1, json.getValue());
                    } else {
                        ps.setObject(i + 1, value);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private record Result(int rows, double sinkSeconds, double baselineSeconds, String hot) {

        double sinkRowsPerSecond() {
            return rows / sinkSeconds;
        }

        double baselineRowsPerSecond() {
            return rows / baselineSeconds;
        }

        double ratio() {
            return baselineSeconds / sinkSeconds;
        }
    }
}
