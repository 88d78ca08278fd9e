package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a Run failed. */
public enum FailureCategory implements CwomEnum {
    POLICY("policy"),
    BUILD("build"),
    TEST("test"),
    RUNTIME("runtime"),
    DEPENDENCY("dependency"),
    UNKNOWN("unknown");

    private final String value;

    FailureCategory(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static FailureCategory of(String value) {
        return CwomEnum.parse(FailureCategory.class, value);
    }
}
