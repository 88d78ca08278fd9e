package dev.cwom.worker.executors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The status line and the headers of an agent's HTTP/1.x answer, read with limits (line length, header count) so that
 * an agent cannot make the worker buffer without end. Header values are kept for framing and redirects only; they
 * never reach a message.
 *
 * @param status the status code
 * @param headers header values by lower-case name (a repeated header: its values joined with ", ")
 */
record AnswerHead(int status, Map<String, String> headers) {

    /** The longest status, header or chunk-size line read. */
    static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;

    /** Reads the head of the final answer, skipping interim 1xx answers. */
    static AnswerHead read(InputStream in) throws IOException {
        while (true) {
            AnswerHead head = readOne(in);
            if (head.status() >= 200) {
                return head;
            }
        }
    }

    @Nullable String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the answer has a body at all (not after 204 and 304). */
    boolean hasBody() {
        return status != 204 && status != 304;
    }

    private static AnswerHead readOne(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (!statusLine.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
            throw new IOException("the agent did not answer with HTTP/1.x (its first line is not a status line)");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("the agent's answer has a malformed header line");
            }
            if (headers.size() >= MAX_HEADERS) {
                throw new IOException("the agent's answer has more than " + MAX_HEADERS + " headers");
            }
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new AnswerHead(status, headers);
    }

    /** One line without its CRLF (or bare LF), in ISO-8859-1 as HTTP heads are. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("the agent closed the connection in the middle of its answer's head");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a line of the agent's answer head is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
