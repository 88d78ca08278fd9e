package dev.cwom.ingest.store;

import dev.cwom.ingest.principals.Principals;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.json.CwomJson;
import dev.cwom.model.CwomObject;
import dev.cwom.model.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes and reads CWOM objects as rows of their {@link CwomTable}. Writing serializes the record with the CWOM
 * mapper and binds each column from the JSON field of the same name; reading turns the row into JSON with
 * PostgreSQL's {@code to_jsonb} and hands it to the same mapper. Callers own the transaction.
 */
@Component
public class CwomRows {

    /** The meta key naming the principal that created an object; set on every insert. */
    public static final String SUBMITTED_BY = "submitted_by";

    private final JdbcClient jdbc;
    private final CwomReader reader;
    private final JsonMapper json = CwomJson.mapper();

    public CwomRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.reader = new CwomReader(jdbc);
    }

    /** The current time as stored: milliseconds, as CWOM timestamps are written. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Creates {@code incoming} idempotently. With no id, a new ULID is assigned. With a client id that is stored
     * already, the stored object is answered when the submitted content equals (server timestamps aside), and a
     * 409 when it differs. When nothing has the id but a unique key of the table is taken,
     * {@code uniqueKeyTaken} says which.
     */
    public <T extends CwomObject> Created<T> create(CwomTable table, T incoming, Class<T> type,
            Supplier<? extends RuntimeException> uniqueKeyTaken) {
        Created<String> stored = store(table, incoming, uniqueKeyTaken);
        return new Created<>(find(table, stored.object(), type).orElseThrow(), stored.created());
    }

    /**
     * {@link #create} without reading the object back, for writers that go on with its id only (the Kafka intake):
     * the id, and whether this call stored it. Same rules, same errors.
     */
    public Created<String> store(CwomTable table, CwomObject incoming,
            Supplier<? extends RuntimeException> uniqueKeyTaken) {
        String id = incoming.id() != null ? incoming.id() : Ids.newUlid();
        Instant now = now();
        ObjectNode submitted = submittedContent(incoming, id);
        if (insert(table, incoming.withIdentity(id, now, now), submitted)) {
            return new Created<>(id, true);
        }
        Optional<Boolean> same = jdbc.sql("SELECT submitted = CAST(:submitted AS jsonb) FROM " + table.name()
                        + " WHERE id = :id")
                .param("submitted", submitted.toString()).param("id", id).query(Boolean.class).optional();
        if (same.isEmpty()) {
            throw uniqueKeyTaken.get();
        }
        if (!same.get()) {
            throw idConflict(table.kind(), id);
        }
        return new Created<>(id, false);
    }

    /**
     * {@link #create} for an object another writer stores from events (Runs and Artifacts: the sink). The submitted
     * content is kept in ingest_rest_submissions in the caller's transaction, which then publishes the event, so a
     * failed publish keeps nothing. The same rules as {@link #create}: a first submission answers created with the
     * accepted object; the same content again answers the object as {@code stored} finds it by now (or as accepted,
     * while the sink has not stored it); other content under the id is a 409 {@code ID_CONFLICT}, and so is an id
     * that {@code takenElsewhere} says the pipeline already used (e.g. a worker's Run), which was not submitted here.
     *
     * @param kind the CWOM kind, {@code Run} or {@code Artifact}
     * @param stored the object as its writer stored it, by id (the sink contract's view)
     */
    public <T extends CwomObject> Created<T> createPublished(String kind, T incoming,
            Predicate<String> takenElsewhere, Function<String, Optional<T>> stored) {
        String id = incoming.id() != null ? incoming.id() : Ids.newUlid();
        Instant now = now();
        ObjectNode submitted = submittedContent(incoming, id);
        boolean inserted = jdbc.sql("INSERT INTO ingest_rest_submissions (id, kind, submitted, created_at) "
                        + "VALUES (:id, :kind, CAST(:submitted AS jsonb), :now) ON CONFLICT DO NOTHING")
                .param("id", id).param("kind", kind).param("submitted", submitted.toString())
                .param("now", Timestamp.from(now)).update() == 1;
        if (inserted) {
            if (takenElsewhere.test(id)) {
                throw ApiProblem.conflict("ID_CONFLICT", kind + " '" + id + "' already exists and was not "
                        + "reported through this API (the pipeline recorded it); report yours under a new id",
                        Map.of("id", id, "kind", kind));
            }
            @SuppressWarnings("unchecked")
            T accepted = (T) incoming.withIdentity(id, now, now);
            return new Created<>(accepted, true);
        }
        record Earlier(String kind, boolean same, Instant createdAt) {
        }
        Earlier earlier = jdbc.sql("SELECT kind, submitted = CAST(:submitted AS jsonb), created_at "
                        + "FROM ingest_rest_submissions WHERE id = :id")
                .param("submitted", submitted.toString()).param("id", id)
                .query((rs, n) -> new Earlier(rs.getString(1), rs.getBoolean(2), rs.getTimestamp(3).toInstant()))
                .single();
        if (!earlier.kind().equals(kind) || !earlier.same()) {
            throw idConflict(kind, id);
        }
        @SuppressWarnings("unchecked")
        T accepted = (T) incoming.withIdentity(id, earlier.createdAt(), earlier.createdAt());
        return new Created<>(stored.apply(id).orElse(accepted), false);
    }

    /** The content creates compare: the object as submitted, with its id, server timestamps left out. */
    private ObjectNode submittedContent(CwomObject incoming, String id) {
        ObjectNode submitted = (ObjectNode) withoutTimestamps(json.valueToTree(incoming));
        submitted.put("id", id);
        return submitted;
    }

    private static ApiProblem idConflict(String kind, String id) {
        return ApiProblem.conflict("ID_CONFLICT", kind + " '" + id + "' already exists with different content; "
                + "resend exactly the same content to get it back, or create it under a new id",
                Map.of("id", id, "kind", kind));
    }

    /** Inserts a row unless its id or a unique key is taken; answers whether it inserted. */
    public boolean insert(CwomTable table, CwomObject object, @Nullable JsonNode submitted) {
        JsonNode node = json.valueToTree(object);
        JsonNode submittedContent = submitted != null ? submitted : withoutTimestamps(node);
        if (node.get("meta") instanceof ObjectNode meta) {
            // set by the server, over whatever the client sent, so that GET shows who created it
            meta.put(SUBMITTED_BY, Principals.current());
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Map<String, @Nullable Object> params = new LinkedHashMap<>();
        for (CwomTable.Column column : table.columns()) {
            names.add(column.name());
            values.add("CAST(:" + column.name() + " AS " + column.type().sql + ")");
            params.put(column.name(), columnValue(node, column));
        }
        if (table.keepsSubmitted()) {
            names.add("submitted");
            values.add("CAST(:submitted AS jsonb)");
            params.put("submitted", submittedContent.toString());
        }
        String sql = "INSERT INTO " + table.name() + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", values) + ") ON CONFLICT DO NOTHING";
        return jdbc.sql(sql).params(params).update() == 1;
    }

    private static JsonNode withoutTimestamps(JsonNode node) {
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        copy.remove(List.of("created_at", "updated_at"));
        return copy;
    }

    /** Equality filters from (column, value) pairs; a null value means no filter on that column. */
    public static Map<String, @Nullable String> filters(@Nullable String... columnValuePairs) {
        Map<String, @Nullable String> filters = new LinkedHashMap<>();
        for (int i = 0; i < columnValuePairs.length; i += 2) {
            filters.put(java.util.Objects.requireNonNull(columnValuePairs[i]), columnValuePairs[i + 1]);
        }
        return filters;
    }

    /** The object with {@code id}, if stored. */
    public <T> Optional<T> find(CwomTable table, String id, Class<T> type) {
        return reader.find(table, id, type);
    }

    /** The object with {@code id} as model JSON, for callers that add related fields before reading it. */
    public Optional<ObjectNode> findNode(CwomTable table, String id) {
        return reader.findNode(table, id);
    }

    /** See {@link CwomReader#listNodes}. */
    public List<ObjectNode> listNodes(CwomTable table, Map<String, @Nullable String> filters, @Nullable String cursor,
            int limit) {
        return reader.listNodes(table, filters, cursor, limit);
    }

    /** See {@link CwomReader#list}. */
    public <T> List<T> list(CwomTable table, Map<String, @Nullable String> filters, @Nullable String cursor, int limit,
            Class<T> type) {
        return reader.list(table, filters, cursor, limit, type);
    }

    /** Reads model JSON into its record, optionally after adjusting it. */
    public <T> T toObject(ObjectNode node, Class<T> type, Consumer<ObjectNode> adjust) {
        return reader.toObject(node, type, adjust);
    }

    /** Which of {@code ids} are stored in {@code table}. */
    public List<String> existing(CwomTable table, List<String> ids) {
        return reader.existing(table, ids);
    }

    private static @Nullable String columnValue(JsonNode node, CwomTable.Column column) {
        JsonNode value = node.get(column.field());
        if (value == null || value.isNull()) {
            return null;
        }
        if (column.refKind() != null) {
            JsonNode id = value.get("id");
            return id == null || id.isNull() ? null : id.asString();
        }
        return column.type() == CwomTable.SqlType.JSONB ? value.toString() : value.asString();
    }

    /** Refs of {@code kind} from rows (id, role) of a join table, keyed by the owner's id. */
    public Map<String, List<dev.cwom.model.Ref>> joinedRefs(String sql, String kind, List<String> ownerIds) {
        if (ownerIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql(sql).param("ids", ownerIds)
                .query((rs, n) -> Map.entry(rs.getString(1),
                        new dev.cwom.model.Ref(kind, rs.getString(2), rs.getString(3), null, null)))
                .list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, LinkedHashMap::new,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    /** Adds a row (owner, ref, role) to a join table unless it is there already. */
    public void link(String joinTable, String ownerColumn, String ownerId, String refColumn, dev.cwom.model.Ref ref) {
        jdbc.sql("INSERT INTO " + joinTable + " (" + ownerColumn + ", " + refColumn + ", role) "
                        + "VALUES (:owner, :ref, :role) ON CONFLICT DO NOTHING")
                .param("owner", ownerId).param("ref", ref.id()).param("role", ref.role()).update();
    }

    /** Answers 404 unless an object of the table's kind has {@code id}. */
    public void requireExists(CwomTable table, String id) {
        if (existing(table, List.of(id)).isEmpty()) {
            throw ApiProblem.notFound(table.kind(), id);
        }
    }

    public JdbcClient jdbc() {
        return jdbc;
    }
}
