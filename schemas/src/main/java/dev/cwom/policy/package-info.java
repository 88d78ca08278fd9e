/**
 * The operator's policy: the ceiling on what any submission may ask for (executors, tools, network, time, secrets,
 * output size), per Repo and per principal. Shared by ingest (refusal at submission) and the worker (refusal at
 * execution, under its own ceiling too), so both decide with the same code and the same codes.
 */
@NullMarked
package dev.cwom.policy;

import org.jspecify.annotations.NullMarked;
