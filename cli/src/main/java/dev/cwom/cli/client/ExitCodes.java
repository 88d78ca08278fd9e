package dev.cwom.cli.client;

/**
 * The exit codes of {@code cwom}, documented in docs/cli.md so scripts can rely on them. 2 is picocli's usage error;
 * the watch outcomes are apart from the error codes so that "the work failed" never looks like "the CLI failed".
 */
public final class ExitCodes {

    /** Done: the command did what was asked (for {@code watch}: the Issue is done). */
    public static final int OK = 0;
    /** An unexpected error of the CLI itself (a file it cannot read or write, a bug). */
    public static final int ERROR = 1;
    /** Wrong arguments or options (picocli's usage error). */
    public static final int USAGE = 2;
    /** The API refused the request (4xx other than below: validation, conflict, policy). */
    public static final int REFUSED = 3;
    /** 401 or 403: no token, an unknown token, or a token without the scope. */
    public static final int UNAUTHORIZED = 4;
    /** 404: no object with that id. */
    public static final int NOT_FOUND = 5;
    /** The service could not be reached, timed out or answered 5xx: worth retrying. */
    public static final int UNAVAILABLE = 6;
    /** {@code fetch}/{@code trace}: the body's sha256 is not the stored digest (or there is none to check). */
    public static final int DIGEST_MISMATCH = 7;
    /** {@code watch --timeout} ran out before the Issue reached a final status. */
    public static final int TIMEOUT = 8;
    /** {@code verify}: the attestation does not hold (signature, format, or a subject's body changed). */
    public static final int ATTESTATION_INVALID = 9;
    /** {@code watch}: the Issue's latest attempt failed. */
    public static final int ISSUE_FAILED = 10;
    /** {@code watch}: the Issue was canceled. */
    public static final int ISSUE_CANCELED = 11;

    private ExitCodes() {
    }

    /** The exit code for an HTTP error status. */
    public static int forStatus(int status) {
        if (status == 401 || status == 403) {
            return UNAUTHORIZED;
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        return status >= 500 ? UNAVAILABLE : REFUSED;
    }
}
