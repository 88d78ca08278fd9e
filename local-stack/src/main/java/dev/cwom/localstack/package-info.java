/**
 * The whole pipeline on one machine from one command: a Kafka broker (KRaft) and PostgreSQL with data kept in a local
 * folder, the schema registry, and the services, each in a child process of its own.
 */
@NullMarked
package dev.cwom.localstack;

import org.jspecify.annotations.NullMarked;
