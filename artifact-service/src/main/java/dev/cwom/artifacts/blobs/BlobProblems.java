package dev.cwom.artifacts.blobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns the blob store's exceptions into application/problem+json answers. */
@RestControllerAdvice(assignableTypes = BlobController.class)
class BlobProblems {

    private static final Logger log = LoggerFactory.getLogger(BlobProblems.class);

    @ExceptionHandler
    ProblemDetail malformedDigest(MalformedDigestException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "MALFORMED_DIGEST", "Malformed blob digest", e);
        problem.setProperty("expected_form", BlobDigest.EXPECTED_FORM);
        return problem;
    }

    @ExceptionHandler
    ProblemDetail invalidMediaType(InvalidMediaTypeException e) {
        return problem(HttpStatus.BAD_REQUEST, "MALFORMED_CONTENT_TYPE", "Malformed Content-Type",
                "Content-Type '" + e.getMediaType() + "' is not a media type (" + e.getMessage()
                        + "): send e.g. 'application/octet-stream'");
    }

    @ExceptionHandler
    ProblemDetail conflictingExpectation(BlobController.ConflictingExpectationException e) {
        return problem(HttpStatus.BAD_REQUEST, "CONFLICTING_DIGESTS", "Conflicting expected digests", e);
    }

    @ExceptionHandler
    ProblemDetail notFound(BlobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "BLOB_NOT_FOUND", "Blob not found", e);
    }

    @ExceptionHandler
    ProblemDetail tooLarge(BlobTooLargeException e) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "BLOB_TOO_LARGE", "Blob too large", e);
        problem.setProperty("max_size_bytes", e.maxBytes());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail digestMismatch(DigestMismatchException e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "DIGEST_MISMATCH", "Digest mismatch", e);
        problem.setProperty("expected_digest", e.expected().toString());
        problem.setProperty("actual_digest", e.actual().toString());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail quotaExceeded(QuotaExceededException e) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "QUOTA_EXCEEDED", "Blob quota exceeded", e);
        problem.setProperty("used_bytes", e.usedBytes());
        problem.setProperty("upload_bytes", e.uploadBytes());
        problem.setProperty("limit_bytes", e.limitBytes());
        return problem;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> rateExceeded(UploadRateExceededException e) {
        ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, "UPLOAD_RATE_EXCEEDED",
                "Too many blob uploads", e);
        problem.setProperty("limit_per_minute", e.limitPerMinute());
        problem.setProperty("retry_after_seconds", e.retryAfterSeconds());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .body(problem);
    }

    @ExceptionHandler
    ProblemDetail interrupted(UploadInterruptedException e) {
        // Usually nobody is left to read this answer; the log line is what an operator sees.
        log.info("{}", e.getMessage());
        return problem(HttpStatus.BAD_REQUEST, "UPLOAD_INTERRUPTED", "Upload interrupted", e);
    }

    @ExceptionHandler
    ProblemDetail batchRefused(BlobBatchException e) {
        ProblemDetail problem = problem(e.status(), e.code(), "Blob batch refused", e);
        if (e.part() != null) {
            problem.setProperty("part", e.part());
        }
        if (e.limit() != null) {
            problem.setProperty(e.code().equals("TOO_MANY_BLOBS") ? "max_count" : "max_size_bytes", e.limit());
        }
        return problem;
    }

    /** A refused part: the problem a single upload of it would have had, naming the part (counted from 1). */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> batchPartRefused(BlobBatchPartException e) {
        ResponseEntity<ProblemDetail> answer = switch (e.refusal()) {
            case DigestMismatchException mismatch -> ResponseEntity.of(digestMismatch(mismatch)).build();
            case BlobTooLargeException tooLarge -> ResponseEntity.of(tooLarge(tooLarge)).build();
            case QuotaExceededException quota -> ResponseEntity.of(quotaExceeded(quota)).build();
            case UploadRateExceededException rate -> rateExceeded(rate);
            case UploadInterruptedException cut -> ResponseEntity.of(interrupted(cut)).build();
            default -> throw e;
        };
        ProblemDetail problem = answer.getBody();
        problem.setDetail(e.getMessage());
        problem.setProperty("part", e.part());
        return answer;
    }

    private static ProblemDetail problem(HttpStatusCode status, String code, String title, Exception e) {
        return problem(status, code, title, String.valueOf(e.getMessage()));
    }

    /** With a stable {@code code} that clients switch on, as every problem of the services has. */
    private static ProblemDetail problem(HttpStatusCode status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty("code", code);
        return problem;
    }
}
