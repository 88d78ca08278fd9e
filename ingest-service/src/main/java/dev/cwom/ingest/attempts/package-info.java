/**
 * The order of attempts at an Issue, numbered by ingest: dispatches and REST-reported runs take the next number, and
 * leaving {@code ready} withdraws the numbers taken so far. A leaf: it knows only the database.
 */
@NullMarked
package dev.cwom.ingest.attempts;

import org.jspecify.annotations.NullMarked;
