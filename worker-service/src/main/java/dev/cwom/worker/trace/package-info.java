@NullMarked
package dev.cwom.worker.trace;

import org.jspecify.annotations.NullMarked;
