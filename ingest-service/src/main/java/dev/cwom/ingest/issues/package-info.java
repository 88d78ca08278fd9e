@NullMarked
package dev.cwom.ingest.issues;

import org.jspecify.annotations.NullMarked;
