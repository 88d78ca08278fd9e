package dev.cwom.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A CWOM enum: each constant has the lower-case (or {@code P0}-style) value the spec writes. */
public interface CwomEnum {

    /** The value as CWOM writes it in JSON, Avro and the database. */
    String value();

    /** Parses a CWOM value, failing with a message that lists the accepted values. */
    static <E extends Enum<E> & CwomEnum> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.value().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a valid " + type.getSimpleName()
                + "; use one of " + acceptedValues(type));
    }

    /** The accepted values of an enum, comma separated, for error messages and documentation. */
    static <E extends Enum<E> & CwomEnum> String acceptedValues(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(CwomEnum::value).collect(Collectors.joining(", "));
    }
}
