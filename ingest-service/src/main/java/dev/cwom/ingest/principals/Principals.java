package dev.cwom.ingest.principals;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who is asking, for everything that records it ({@code meta.submitted_by}, a work order's {@code requested_by}) and
 * for the per-principal limits of the operator's policy. Over HTTP it is the servlet request's authenticated principal
 * (filled by Spring Security), {@value #ANONYMOUS} without one; the Kafka intake names the record's producer with
 * {@link #as}, prefixed {@value #KAFKA_PREFIX} so that a self-declared producer name can never pass for an
 * authenticated principal's.
 */
public final class Principals {

    /** The principal of a request that carries no authentication. */
    public static final String ANONYMOUS = "anonymous";
    /** The prefix of a Kafka producer's name as a principal. */
    public static final String KAFKA_PREFIX = "kafka:";

    private static final ThreadLocal<@Nullable String> OVERRIDE = new ThreadLocal<>();

    private Principals() {
    }

    /** The principal of the current work: the one set by {@link #as}, else the request's, else anonymous. */
    public static String current() {
        String override = OVERRIDE.get();
        if (override != null) {
            return override;
        }
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            Principal principal = request.getUserPrincipal();
            if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
                return principal.getName();
            }
        }
        return ANONYMOUS;
    }

    /** Runs {@code work} on behalf of {@code principal} (work that no HTTP request carries, like Kafka intake). */
    public static <T> T as(String principal, Supplier<T> work) {
        String before = OVERRIDE.get();
        OVERRIDE.set(principal);
        try {
            return work.get();
        } finally {
            OVERRIDE.set(before);
        }
    }

    /** The principal of a Kafka record's producer, as IssueSubmitted names it (not authenticated). */
    public static String kafkaProducer(@Nullable String producer) {
        return KAFKA_PREFIX + (producer == null || producer.isBlank() ? ANONYMOUS : producer);
    }
}
