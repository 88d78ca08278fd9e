package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Status of an Issue or a Run. */
public enum Status implements CwomEnum {
    PLANNED("planned"),
    READY("ready"),
    RUNNING("running"),
    BLOCKED("blocked"),
    DONE("done"),
    FAILED("failed"),
    CANCELED("canceled");

    private final String value;

    Status(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static Status of(String value) {
        return CwomEnum.parse(Status.class, value);
    }
}
