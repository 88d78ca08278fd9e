/** Topic names and the Avro events of the pipeline. */
@NullMarked
package dev.cwom.events;

import org.jspecify.annotations.NullMarked;
