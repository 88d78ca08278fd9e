/**
 * The whole-stack benchmark (issue 16): the local stack in a folder of its own, the bare broker measured with the same
 * Java client, then ready {@code noop} Issues pushed through Kafka as fast as the client can and again at a fixed
 * fraction of that rate for latencies, with CPU time and memory per process read from {@code /proc}. Run by the Maven
 * profile {@code stack-benchmark}, never by {@code verify}; see docs/performance.md.
 */
@NullMarked
package dev.cwom.localstack.benchmark;

import org.jspecify.annotations.NullMarked;
