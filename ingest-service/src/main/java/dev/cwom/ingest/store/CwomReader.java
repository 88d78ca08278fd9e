package dev.cwom.ingest.store;

import dev.cwom.json.CwomJson;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads CWOM objects from the rows of a {@link CwomTable} (a table or a view with its columns): PostgreSQL's
 * {@code to_jsonb} turns the row into JSON, the declared columns become the model's fields, and the CWOM mapper reads
 * it. One reading for ingest's own tables ({@link CwomRows}) and the sink's published views (the sink contract), each
 * on its own connection.
 */
public final class CwomReader {

    private final JdbcClient jdbc;
    private final JsonMapper json = CwomJson.mapper();

    public CwomReader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The object with {@code id}, if stored. */
    public <T> Optional<T> find(CwomTable table, String id, Class<T> type) {
        return findNode(table, id).map(node -> toObject(node, type));
    }

    /** The object with {@code id} as model JSON, for callers that add related fields before reading it. */
    public Optional<ObjectNode> findNode(CwomTable table, String id) {
        return jdbc.sql("SELECT to_jsonb(t)::text FROM " + table.name() + " t WHERE id = :id").param("id", id)
                .query(String.class).optional().map(row -> toModelJson(table, row));
    }

    /**
     * Up to {@code limit} objects in id order after {@code cursor}, matching every non-null filter (column -> value);
     * filter columns come from code, never from the request.
     */
    public List<ObjectNode> listNodes(CwomTable table, Map<String, @Nullable String> filters, @Nullable String cursor,
            int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        filters.forEach((column, value) -> {
            if (value != null) {
                where.add(column + " = :" + column);
                params.put(column, value);
            }
        });
        if (cursor != null) {
            where.add("id > :cursor");
            params.put("cursor", cursor);
        }
        params.put("limit", limit);
        String sql = "SELECT to_jsonb(t)::text FROM " + table.name() + " t"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY id LIMIT :limit";
        return jdbc.sql(sql).params(params).query(String.class).list().stream()
                .map(row -> toModelJson(table, row)).toList();
    }

    /** Same as {@link #listNodes} read into the model type. */
    public <T> List<T> list(CwomTable table, Map<String, @Nullable String> filters, @Nullable String cursor, int limit,
            Class<T> type) {
        return listNodes(table, filters, cursor, limit).stream().map(node -> toObject(node, type)).toList();
    }

    /** Reads model JSON into its record, optionally after adjusting it. */
    public <T> T toObject(ObjectNode node, Class<T> type, Consumer<ObjectNode> adjust) {
        adjust.accept(node);
        return json.treeToValue(node, type);
    }

    public <T> T toObject(ObjectNode node, Class<T> type) {
        return json.treeToValue(node, type);
    }

    /** Which of {@code ids} are stored in {@code table}. */
    public List<String> existing(CwomTable table, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id FROM " + table.name() + " WHERE id IN (:ids)").param("ids", ids)
                .query(String.class).list();
    }

    /** The row as model JSON: declared columns only, references as Refs, timestamps as UTC instants. */
    private ObjectNode toModelJson(CwomTable table, String row) {
        JsonNode columns = json.readTree(row);
        ObjectNode node = json.createObjectNode();
        for (CwomTable.Column column : table.columns()) {
            JsonNode value = columns.get(column.name());
            if (value == null || value.isNull()) {
                continue;
            }
            if (column.refKind() != null) {
                node.putObject(column.field()).put("kind", column.refKind()).put("id", value.asString());
            } else if (column.type() == CwomTable.SqlType.TIMESTAMP) {
                node.put(column.field(), OffsetDateTime.parse(value.asString()).toInstant().toString());
            } else {
                node.set(column.field(), value);
            }
        }
        node.put("kind", table.kind());
        return node;
    }

}
