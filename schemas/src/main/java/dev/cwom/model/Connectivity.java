package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Network connectivity in a ConstraintSnapshot's environment. */
public enum Connectivity implements CwomEnum {
    OFFLINE("offline"),
    LIMITED("limited"),
    OK("ok");

    private final String value;

    Connectivity(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static Connectivity of(String value) {
        return CwomEnum.parse(Connectivity.class, value);
    }
}
