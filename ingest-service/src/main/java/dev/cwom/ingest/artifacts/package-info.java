@NullMarked
package dev.cwom.ingest.artifacts;

import org.jspecify.annotations.NullMarked;
