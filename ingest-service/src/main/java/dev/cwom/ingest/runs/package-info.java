@NullMarked
package dev.cwom.ingest.runs;

import org.jspecify.annotations.NullMarked;
