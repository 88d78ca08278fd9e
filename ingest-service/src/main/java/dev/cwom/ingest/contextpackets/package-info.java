@NullMarked
package dev.cwom.ingest.contextpackets;

import org.jspecify.annotations.NullMarked;
