@NullMarked
package dev.cwom.worker;

import org.jspecify.annotations.NullMarked;
