/**
 * Each service that owns tables migrates them itself, from its own folder into its own Flyway history, whether it
 * shares the database with the other owner or has one of its own ({@link dev.cwom.service.migration.OwnedMigrations}).
 */
@NullMarked
package dev.cwom.service.migration;

import org.jspecify.annotations.NullMarked;
