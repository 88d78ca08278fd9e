package dev.cwom.ingest.store;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one CWOM kind is stored: its table and columns. A column is named as the JSON field it holds, except a
 * primary reference ({@code repo}, {@code for_issue}, ...) which is stored as the referenced id in a foreign-key
 * column. Columns the table has beyond these (e.g. the sink's bookkeeping) are never read into the model.
 *
 * @param name the table
 * @param kind the CWOM kind stored there
 * @param columns the columns holding the model's fields, in insert order
 * @param keepsSubmitted whether the table keeps the submitted content for idempotent creates
 */
public record CwomTable(String name, String kind, List<Column> columns, boolean keepsSubmitted) {

    /** A column's SQL type, used to cast the string parameter each column is written with. */
    public enum SqlType {
        TEXT("text"), JSONB("jsonb"), TIMESTAMP("timestamptz"), BIGINT("bigint");

        final String sql;

        SqlType(String sql) {
            this.sql = sql;
        }
    }

    /**
     * @param name column name
     * @param type SQL type
     * @param field the JSON field it holds (equal to name, except for references)
     * @param refKind for a reference column, the kind it refers to; else null
     */
    public record Column(String name, SqlType type, String field, @Nullable String refKind) {
    }

    /** Starts a table with the columns every kind has: id, tags, meta, created_at, updated_at. */
    public static Builder named(String name, String kind) {
        return new Builder(name, kind);
    }

    public static final class Builder {
        private final String name;
        private final String kind;
        private final List<Column> columns = new ArrayList<>();

        private Builder(String name, String kind) {
            this.name = name;
            this.kind = kind;
            text("id");
        }

        public Builder text(String... names) {
            return add(SqlType.TEXT, names);
        }

        public Builder jsonb(String... names) {
            return add(SqlType.JSONB, names);
        }

        public Builder timestamp(String... names) {
            return add(SqlType.TIMESTAMP, names);
        }

        public Builder bigint(String... names) {
            return add(SqlType.BIGINT, names);
        }

        /** The JSON field {@code field}, a Ref to a {@code refKind}, stored as its id in {@code column}. */
        public Builder ref(String field, String column, String refKind) {
            columns.add(new Column(column, SqlType.TEXT, field, refKind));
            return this;
        }

        private Builder add(SqlType type, String... names) {
            for (String n : names) {
                columns.add(new Column(n, type, n, null));
            }
            return this;
        }

        public CwomTable build(boolean keepsSubmitted) {
            jsonb("tags", "meta");
            timestamp("created_at", "updated_at");
            return new CwomTable(name, kind, List.copyOf(columns), keepsSubmitted);
        }
    }
}
