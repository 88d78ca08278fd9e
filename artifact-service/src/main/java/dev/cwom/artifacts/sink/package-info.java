/** The sink: consumes run and artifact events and writes them idempotently, in any order, one transaction per batch. */
@NullMarked
package dev.cwom.artifacts.sink;

import org.jspecify.annotations.NullMarked;
