package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an Artifact is. */
public enum ArtifactType implements CwomEnum {
    CODE_PATCH("code_patch"),
    COMMIT("commit"),
    PR("pr"),
    BUILD("build"),
    CONTAINER_IMAGE("container_image"),
    DOC("doc"),
    REPORT("report"),
    DATASET("dataset"),
    LOG("log"),
    TRACE("trace"),
    BINARY("binary"),
    LINK("link");

    private final String value;

    ArtifactType(String value) {
        this.value = value;
    }

    @Override
    @JsonValue
    public String value() {
        return value;
    }

    /** The constant whose CWOM value is {@code value}; names the accepted values when there is none. */
    @JsonCreator
    public static ArtifactType of(String value) {
        return CwomEnum.parse(ArtifactType.class, value);
    }
}
