package dev.cwom.serde;

/**
 * The schema registry could not be reached, timed out or answered 5xx: transient, worth retrying with back-off.
 *
 * <p>Kafka's {@code RetriableException} would say so too, but a Java class cannot extend both it and
 * {@code SerializationException} (which Spring Kafka's {@code ErrorHandlingDeserializer} needs), so retryability is
 * this type itself: error handlers classify {@code RegistryUnavailableException} as retryable (Spring Kafka's
 * {@code DefaultErrorHandler} traverses causes) and treat every other {@link AvroSerdeException} as fatal.
 */
public final class RegistryUnavailableException extends AvroSerdeException {

    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reasonCode() {
        return "REGISTRY_UNAVAILABLE";
    }
}
