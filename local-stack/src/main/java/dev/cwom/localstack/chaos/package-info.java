/**
 * The chaos suite (issue 21): the local stack in a folder of its own, Issues flowing through Kafka and REST (noop and
 * short shell runs) while services are killed with SIGKILL and restarted, the broker is restarted and PostgreSQL is
 * restarted; then it waits for quiet and counts what was sent, stored, done, lost, stuck, done twice and stored twice,
 * and how long each fault took to recover from. Run by the Maven profile {@code chaos}, never by {@code verify}; see
 * docs/operations.md.
 */
@NullMarked
package dev.cwom.localstack.chaos;

import org.jspecify.annotations.NullMarked;
