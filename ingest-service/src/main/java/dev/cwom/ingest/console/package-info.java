/**
 * The web console (docs/console.md): its static files under {@code /console/} (served without a token, since they
 * hold no data, with a strict Content-Security-Policy), and the two reads the console needs that the rest of the API
 * had no endpoint for: an artifact's body through ingest's origin ({@code /cwom/artifacts/{id}/content}, relayed
 * from artifact-service's blob store with the caller's own token) and the intake's rejected records
 * ({@code /cwom/intake/rejections}, read from {@code cwom.issues.rejected.v1}).
 */
@NullMarked
package dev.cwom.ingest.console;

import org.jspecify.annotations.NullMarked;
