@NullMarked
package dev.cwom.worker.execution;

import org.jspecify.annotations.NullMarked;
