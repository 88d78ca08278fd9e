@NullMarked
package dev.cwom.worker.executors;

import org.jspecify.annotations.NullMarked;
