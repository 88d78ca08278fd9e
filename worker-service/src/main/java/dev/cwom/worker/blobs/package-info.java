@NullMarked
package dev.cwom.worker.blobs;

import org.jspecify.annotations.NullMarked;
