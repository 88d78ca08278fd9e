package dev.cwom.localstack;

/** Ports the OS says are free right now, so tests never collide with a running stack or with each other. */
final class FreePorts {

    private FreePorts() {
    }

    static int next() {
        return Ports.free();
    }
}
