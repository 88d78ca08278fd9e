package dev.cwom.artifacts.blobs;

import java.io.IOException;

/**
 * Reading an upload's body failed or it ended before its declared length: the client went away. Distinct
 * from an {@link IOException} of the store itself, which is the server's fault.
 */
public class UploadInterruptedException extends RuntimeException {

    UploadInterruptedException(long received, long declared, IOException cause) {
        super(message(received, declared), cause);
    }

    UploadInterruptedException(long received, long declared) {
        super(message(received, declared));
    }

    private static String message(long received, long declared) {
        return "Upload interrupted after " + received + (declared >= 0 ? " of " + declared : "")
                + " bytes; nothing was stored, send the whole body again";
    }
}
