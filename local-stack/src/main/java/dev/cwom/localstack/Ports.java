package dev.cwom.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks ports before anything starts, so a clash is reported by name instead of as a child's stack trace, and finds
 * free ones for stacks that must not collide with a user's (the tests', the benchmark's).
 */
public final class Ports {

    private Ports() {
    }

    /** A port the OS says is free on 127.0.0.1 right now. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Could not find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** Throws {@link PortTakenException} naming {@code flag} when {@code port} cannot be bound on 127.0.0.1. */
    static void requireFree(String component, int port, String flag) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the broker and the services bind: a port left in TIME_WAIT by a previous run counts as free,
            // one held by a live listener does not.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new PortTakenException(component, port, flag);
        }
    }
}
