/** JSON of CWOM objects: the mapper, canonical JSON (RFC 8785) and content digests. */
@NullMarked
package dev.cwom.json;

import org.jspecify.annotations.NullMarked;
