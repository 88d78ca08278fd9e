package dev.cwom.localstack;

/** A port the stack needs is already bound by another process; the message names the port and the flag to change. */
public final class PortTakenException extends IllegalStateException {

    private final int port;

    PortTakenException(String component, int port, String flag) {
        super("Port " + port + " for " + component + " on 127.0.0.1 is already in use. Stop the process that holds it"
                + " (for example: ss -ltnp 'sport = :" + port + "') or choose another port with --" + flag
                + "=<port> (or -Dcwom.localstack." + flag + "=<port>).");
        this.port = port;
    }

    /** The port that was taken. */
    public int port() {
        return port;
    }
}
