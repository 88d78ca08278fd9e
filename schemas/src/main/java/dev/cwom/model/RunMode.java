package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who or what carries out a Run. */
public enum RunMode implements CwomEnum {
    HUMAN("human"),
    AGENT("agent"),
    HYBRID("hybrid"),
    SYSTEM("system");

    private final String value;

    RunMode(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static RunMode of(String value) {
        return CwomEnum.parse(RunMode.class, value);
    }
}
