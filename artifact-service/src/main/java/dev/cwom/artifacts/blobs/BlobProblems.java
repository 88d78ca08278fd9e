package dev.cwom.artifacts.blobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns the blob store's exceptions into application/problem+json answers. */
@RestControllerAdvice(assignableTypes = BlobController.class)
class BlobProblems {

    private static final Logger log = LoggerFactory.getLogger(BlobProblems.class);

    @ExceptionHandler
    ProblemDetail malformedDigest(MalformedDigestException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Malformed blob digest", e);
        problem.setProperty("expected_form", BlobDigest.EXPECTED_FORM);
        return problem;
    }

    @ExceptionHandler
    ProblemDetail invalidMediaType(InvalidMediaTypeException e) {
        return problem(HttpStatus.BAD_REQUEST, "Malformed Content-Type",
                "Content-Type '" + e.getMediaType() + "' is not a media type (" + e.getMessage()
                        + "): send e.g. 'application/octet-stream'");
    }

    @ExceptionHandler
    ProblemDetail conflictingExpectation(BlobController.ConflictingExpectationException e) {
        return problem(HttpStatus.BAD_REQUEST, "Conflicting expected digests", e);
    }

    @ExceptionHandler
    ProblemDetail notFound(BlobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Blob not found", e);
    }

    @ExceptionHandler
    ProblemDetail tooLarge(BlobTooLargeException e) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Blob too large", e);
        problem.setProperty("max_size_bytes", e.maxBytes());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail digestMismatch(DigestMismatchException e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Digest mismatch", e);
        problem.setProperty("expected_digest", e.expected().toString());
        problem.setProperty("actual_digest", e.actual().toString());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail interrupted(UploadInterruptedException e) {
        // Usually nobody is left to read this answer; the log line is what an operator sees.
        log.info("{}", e.getMessage());
        return problem(HttpStatus.BAD_REQUEST, "Upload interrupted", e);
    }

    private static ProblemDetail problem(HttpStatus status, String title, Exception e) {
        return problem(status, title, String.valueOf(e.getMessage()));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
