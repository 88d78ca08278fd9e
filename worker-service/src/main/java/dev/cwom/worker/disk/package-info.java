/**
 * The worker's disk: a run's folders are deleted once delivered, kept in a bounded quarantine when the worker gives
 * up on them, swept at start-up ({@link dev.cwom.worker.disk.RunFolders}); and pick-up pauses while free space is low
 * ({@link dev.cwom.worker.disk.FreeSpaceGuard}).
 */
@NullMarked
package dev.cwom.worker.disk;

import org.jspecify.annotations.NullMarked;
