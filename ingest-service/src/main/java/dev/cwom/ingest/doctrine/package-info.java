@NullMarked
package dev.cwom.ingest.doctrine;

import org.jspecify.annotations.NullMarked;
