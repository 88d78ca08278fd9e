/**
 * PostgreSQL access for the CWOM tables with {@code JdbcClient}: rows whose column names are the JSON field names,
 * read back through the CWOM mapper, so no per-kind row mapping exists to drift from the model.
 */
@NullMarked
package dev.cwom.ingest.store;

import org.jspecify.annotations.NullMarked;
