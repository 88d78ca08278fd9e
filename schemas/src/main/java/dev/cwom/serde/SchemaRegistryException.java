package dev.cwom.serde;

/**
 * The schema registry answered, and refused: for example 409 (the schema is incompatible with the subject's earlier
 * versions), 40401 (no such subject while {@code auto.register.schemas=false}), 401/403 (credentials). Fatal: the
 * same request will be refused again until the schema or the configuration changes.
 */
public final class SchemaRegistryException extends AvroSerdeException {

    private final int httpStatus;
    private final int errorCode;

    SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's {@code error_code} (e.g. 40401, 40403, 409, 42201), or the HTTP status when the body had none. */
    public int errorCode() {
        return errorCode;
    }

    @Override
    public String reasonCode() {
        return "SCHEMA_REGISTRY_ERROR";
    }
}
