package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What kind of intent an Issue carries. */
public enum IssueType implements CwomEnum {
    FEATURE("feature"),
    BUG("bug"),
    CHORE("chore"),
    RESEARCH("research"),
    OPS("ops"),
    DOC("doc"),
    INCIDENT("incident");

    private final String value;

    IssueType(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static IssueType of(String value) {
        return CwomEnum.parse(IssueType.class, value);
    }
}
