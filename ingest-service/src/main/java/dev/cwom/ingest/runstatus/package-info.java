/** Following {@code cwom.runs.v1} to move Issues ready -> running -> done / failed / canceled and list their runs. */
@NullMarked
package dev.cwom.ingest.runstatus;

import org.jspecify.annotations.NullMarked;
