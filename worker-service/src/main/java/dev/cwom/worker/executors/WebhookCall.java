package dev.cwom.worker.executors;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One POST of a work order to a checked {@link Destination}, over HTTP/1.1 on a socket to the destination's checked
 * address (for https with the host's name for SNI and certificate checks), so the worker talks to exactly the address
 * it checked. Everything, from connecting to the last byte of the body, ends at one deadline: a watchdog closes the
 * socket when it passes, or when the calling thread is interrupted, so an agent that answers one byte at a time is cut
 * off there and a blocked read never outlives the budget. The body is read into memory only up to a cap.
 */
final class WebhookCall implements AutoCloseable {

    /** How often the watchdog looks at the calling thread's interrupt flag. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);

    private final Socket socket;
    private final long deadlineNanos;
    private final Thread caller;
    private final Thread watchdog;
    private volatile boolean expired;
    private volatile boolean interrupted;
    private volatile String phase = "connecting";
    private InputStream in = InputStream.nullInputStream();
    private AnswerHead head = new AnswerHead(0, java.util.Map.of());

    private WebhookCall(Socket socket, long deadlineNanos) {
        this.socket = socket;
        this.deadlineNanos = deadlineNanos;
        this.caller = Thread.currentThread();
        this.watchdog = Thread.ofVirtual().name("webhook-deadline").unstarted(this::watch);
    }

    /**
     * Connects to {@code to}, sends {@code body} as JSON and reads the answer's head.
     *
     * @param deadlineNanos the {@link System#nanoTime()} by which the whole call ends
     * @throws DeadlineException when the deadline passes first
     * @throws InterruptedCallException when the calling thread is interrupted
     * @throws IOException when the agent cannot be reached or answers outside HTTP/1.x
     */
    static WebhookCall post(Destination to, byte[] body, Duration connectTimeout, long deadlineNanos,
            SSLSocketFactory tls) throws IOException {
        WebhookCall call = new WebhookCall(new Socket(), deadlineNanos);
        call.watchdog.start();
        try {
            call.exchange(to, body, connectTimeout, tls);
            return call;
        } catch (IOException | RuntimeException e) {
            call.close();
            throw call.explain(e);
        }
    }

    int status() {
        return head.status();
    }

    AnswerHead head() {
        return head;
    }

    /**
     * The answer's body, read up to {@code max} bytes; reading stops there and the rest is never read.
     *
     * @return the bytes read, and whether that was all of the body
     */
    Body body(int max) throws IOException {
        if (!head.hasBody()) {
            return new Body(new byte[0], true);
        }
        phase = "reading the answer's body";
        InputStream source = "chunked".equalsIgnoreCase(lastCoding()) ? new ChunkedInput(in) : in;
        long length = contentLength();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (length < 0 || read.size() < length) {
                int wanted = (int) Math.min(buffer.length, Math.min(max + 1L - read.size(),
                        length < 0 ? Long.MAX_VALUE : length - read.size()));
                if (wanted <= 0) {
                    break;
                }
                int n = source.read(buffer, 0, wanted);
                if (n == -1) {
                    if (length >= 0) {
                        throw new IOException("the answer ended after " + read.size() + " of its " + length
                                + " bytes");
                    }
                    break;
                }
                read.write(buffer, 0, n);
                phase = "reading the answer's body (" + read.size() + " bytes so far)";
            }
        } catch (IOException | RuntimeException e) {
            throw explain(e);
        }
        byte[] bytes = read.toByteArray();
        if (bytes.length > max) {
            return new Body(java.util.Arrays.copyOf(bytes, max), false);
        }
        return new Body(bytes, true);
    }

    /**
     * Part of an answer's body.
     *
     * @param bytes what was read
     * @param complete whether it is the whole body; false when the body is longer than what was asked for
     */
    record Body(byte[] bytes, boolean complete) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        watchdog.interrupt();
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private void exchange(Destination to, byte[] body, Duration connectTimeout, SSLSocketFactory tls)
            throws IOException {
        long connectMillis = Math.max(1, Math.min(connectTimeout.toMillis(), remainingMillis()));
        socket.connect(new InetSocketAddress(to.address(), to.port()), (int) connectMillis);
        Socket stream = socket;
        if (to.https()) {
            phase = "the TLS handshake";
            SSLSocket secure = (SSLSocket) tls.createSocket(socket, to.host(), to.port(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            if (!isAddressLiteral(to.host())) {
                parameters.setServerNames(List.of(new SNIHostName(to.host())));
            }
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            stream = secure;
        }
        phase = "sending the work order";
        OutputStream out = stream.getOutputStream();
        String requestHead = "POST " + to.target() + " HTTP/1.1\r\n"
                + "Host: " + to.hostHeader() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: application/json\r\n"
                + "User-Agent: cwom-worker\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        phase = "waiting for the answer";
        in = new BufferedInputStream(stream.getInputStream(), 8192);
        head = AnswerHead.read(in);
    }

    private String lastCoding() {
        String codings = head.header("transfer-encoding");
        if (codings == null) {
            return "";
        }
        String[] parts = codings.split(",");
        return parts[parts.length - 1].trim();
    }

    private long contentLength() throws IOException {
        String value = head.header("content-length");
        if (value == null || head.header("transfer-encoding") != null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IOException("the answer's Content-Length is not a number");
        }
    }

    /** What went wrong, as the caller sees it: the deadline and an interrupt win over the I/O errors they cause. */
    private IOException explain(Exception e) {
        if (expired || remainingMillis() <= 0) {
            return new DeadlineException("the time budget ran out while " + phase);
        }
        if (interrupted || Thread.currentThread().isInterrupted()) {
            return new InterruptedCallException();
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException(e.getMessage(), e);
    }

    /** Closes the socket at the deadline, or as soon as the calling thread is interrupted; a blocked read then ends. */
    private void watch() {
        try {
            long left;
            while ((left = deadlineNanos - System.nanoTime()) > 0) {
                Thread.sleep(Duration.ofNanos(Math.min(left, WATCH_INTERVAL.toNanos())));
                if (caller.isInterrupted()) {
                    interrupted = true;
                    closeSocket();
                    return;
                }
            }
        } catch (InterruptedException e) {
            return; // the call ended before its deadline
        }
        expired = true;
        closeSocket();
    }

    private long remainingMillis() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis();
    }

    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    /** The deadline passed before the call ended; the connection was closed at the deadline. */
    static final class DeadlineException extends IOException {
        DeadlineException(String message) {
            super(message);
        }
    }

    /** The calling thread was interrupted; the connection was closed. */
    static final class InterruptedCallException extends IOException {
        InterruptedCallException() {
            super("interrupted");
        }
    }
}
