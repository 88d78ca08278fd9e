@NullMarked
package dev.cwom.ingest.repos;

import org.jspecify.annotations.NullMarked;
