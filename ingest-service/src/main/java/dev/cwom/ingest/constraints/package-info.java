@NullMarked
package dev.cwom.ingest.constraints;

import org.jspecify.annotations.NullMarked;
