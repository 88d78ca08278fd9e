@NullMarked
package dev.cwom.ingest;

import org.jspecify.annotations.NullMarked;
