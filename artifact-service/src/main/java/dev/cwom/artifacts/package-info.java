@NullMarked
package dev.cwom.artifacts;

import org.jspecify.annotations.NullMarked;
