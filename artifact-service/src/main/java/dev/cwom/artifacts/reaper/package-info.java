/** Fails runs whose worker stopped sending heartbeats and announces it with a RunFinished. */
@NullMarked
package dev.cwom.artifacts.reaper;

import org.jspecify.annotations.NullMarked;
