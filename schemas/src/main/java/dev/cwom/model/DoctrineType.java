package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The nature of a DoctrineRef's rule. */
public enum DoctrineType implements CwomEnum {
    PRINCIPLE("principle"),
    POLICY("policy"),
    PROCEDURE("procedure"),
    HEURISTIC("heuristic"),
    PATTERN("pattern");

    private final String value;

    DoctrineType(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static DoctrineType of(String value) {
        return CwomEnum.parse(DoctrineType.class, value);
    }
}
