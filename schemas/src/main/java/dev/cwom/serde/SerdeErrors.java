package dev.cwom.serde;

import org.jspecify.annotations.Nullable;

/** Routing help for consumers: decides by exception type, never by message. */
public final class SerdeErrors {

    private SerdeErrors() {
    }

    /** True when {@code failure} or one of its causes is a {@link RegistryUnavailableException}. */
    public static boolean isRetryable(@Nullable Throwable failure) {
        return find(failure) instanceof RegistryUnavailableException;
    }

    /** The first {@link AvroSerdeException} in {@code failure}'s cause chain, or null. */
    public static @Nullable AvroSerdeException find(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AvroSerdeException serde) {
                return serde;
            }
        }
        return null;
    }
}
