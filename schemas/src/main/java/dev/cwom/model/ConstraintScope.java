package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whose operating envelope a ConstraintSnapshot describes. */
public enum ConstraintScope implements CwomEnum {
    PERSONAL("personal"),
    REPO("repo"),
    ORG("org"),
    SYSTEM("system"),
    RUN("run");

    private final String value;

    ConstraintScope(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static ConstraintScope of(String value) {
        return CwomEnum.parse(ConstraintScope.class, value);
    }
}
