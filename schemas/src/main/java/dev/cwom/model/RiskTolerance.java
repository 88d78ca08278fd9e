package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Appetite for risk in a ConstraintSnapshot. */
public enum RiskTolerance implements CwomEnum {
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high");

    private final String value;

    RiskTolerance(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static RiskTolerance of(String value) {
        return CwomEnum.parse(RiskTolerance.class, value);
    }
}
