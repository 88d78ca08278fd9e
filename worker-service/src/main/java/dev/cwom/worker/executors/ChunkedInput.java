package dev.cwom.worker.executors;

import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an HTTP/1.1 answer sent with {@code Transfer-Encoding: chunked}, decoded: chunk sizes, extensions and
 * trailers are read and dropped. Lines longer than {@link AnswerHead#MAX_LINE} are refused, so a hostile agent cannot
 * make the worker buffer an endless size line.
 */
final class ChunkedInput extends InputStream {

    private final InputStream in;
    private long leftInChunk;
    private boolean done;

    ChunkedInput(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        if (leftInChunk == 0) {
            leftInChunk = nextChunkSize();
            if (leftInChunk == 0) {
                while (!AnswerHead.readLine(in).isEmpty()) {
                    // trailers: dropped
                }
                done = true;
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, leftInChunk));
        if (n == -1) {
            throw new IOException("the answer ended inside a chunk of its chunked body");
        }
        leftInChunk -= n;
        if (leftInChunk == 0 && !AnswerHead.readLine(in).isEmpty()) {
            throw new IOException("a chunk of the answer's chunked body does not end with CRLF");
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = AnswerHead.readLine(in);
        int extension = line.indexOf(';');
        String hex = (extension >= 0 ? line.substring(0, extension) : line).trim();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new IOException("the answer's chunked body has an invalid chunk size line");
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("the answer's chunked body has an invalid chunk size line");
        }
    }
}
