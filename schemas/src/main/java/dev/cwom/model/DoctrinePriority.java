package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How binding a DoctrineRef is. */
public enum DoctrinePriority implements CwomEnum {
    MUST("must"),
    SHOULD("should"),
    MAY("may");

    private final String value;

    DoctrinePriority(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static DoctrinePriority of(String value) {
        return CwomEnum.parse(DoctrinePriority.class, value);
    }
}
