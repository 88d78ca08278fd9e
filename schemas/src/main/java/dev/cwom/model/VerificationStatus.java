package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Outcome of verifying an Artifact or one of its checks. */
public enum VerificationStatus implements CwomEnum {
    UNVERIFIED("unverified"),
    PASSED("passed"),
    FAILED("failed");

    private final String value;

    VerificationStatus(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static VerificationStatus of(String value) {
        return CwomEnum.parse(VerificationStatus.class, value);
    }
}
