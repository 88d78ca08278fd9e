package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who may see a Repo. */
public enum Visibility implements CwomEnum {
    PUBLIC("public"),
    PRIVATE("private"),
    INTERNAL("internal");

    private final String value;

    Visibility(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static Visibility of(String value) {
        return CwomEnum.parse(Visibility.class, value);
    }
}
