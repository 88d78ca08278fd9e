/**
 * Replaying a Run ({@code POST /cwom/runs/{id}/replay}): a new attempt of the Run's Issue whose work order carries
 * exactly the inputs the original's carried (or, on request, the current ones), under the policy version pinned then
 * unless the current policy forbids what that allowed.
 */
@NullMarked
package dev.cwom.ingest.replay;

import org.jspecify.annotations.NullMarked;
