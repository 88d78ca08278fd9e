package dev.cwom.localstack;

import org.jspecify.annotations.Nullable;

/**
 * One running part of the stack as a user sees it: what it is, where to reach it, which process, where it logs.
 *
 * @param name    e.g. {@code Kafka broker}, {@code worker-service #1}
 * @param address where to reach it: a bootstrap address, a JDBC URL or an HTTP base URL
 * @param pid     its process id, or -1 when it is not a process of the stack (an existing database)
 * @param log     its log file, or null
 */
public record StackComponent(String name, String address, long pid, @Nullable String log) {
}
