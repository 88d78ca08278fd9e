package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What kind of Actor acts. */
public enum ActorKind implements CwomEnum {
    HUMAN("human"),
    AGENT("agent"),
    SYSTEM("system");

    private final String value;

    ActorKind(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static ActorKind of(String value) {
        return CwomEnum.parse(ActorKind.class, value);
    }
}
