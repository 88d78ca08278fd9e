/**
 * The task bridge: {@code POST /tasks/enqueue} with its policy gate, the mapping of a task to Repo + Issue +
 * ContextPacket + ConstraintSnapshot, and the task view of an Issue.
 */
@NullMarked
package dev.cwom.ingest.tasks;

import org.jspecify.annotations.NullMarked;
