/** Who is asking: the one place the ingest service reads the authenticated principal. */
@NullMarked
package dev.cwom.ingest.principals;

import org.jspecify.annotations.NullMarked;
