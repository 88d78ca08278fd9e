package dev.cwom.registry;

/**
 * A request the registry refuses, with Confluent Schema Registry's HTTP status and error code, so that the server
 * answers {@code {"error_code": ..., "message": ...}} exactly as Confluent's does.
 */
public final class RegistryError extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    RegistryError(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    RegistryError(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status to answer with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's error code, for example 40401. */
    public int errorCode() {
        return errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(String subject, int version) {
        return new RegistryError(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryError schemaNotFound(int id) {
        return new RegistryError(404, 40403, "Schema " + id + " not found.");
    }

    static RegistryError schemaNotFoundInSubject(String subject) {
        return new RegistryError(404, 40403, "Schema not found under subject '" + subject
                + "': register it first (POST /subjects/" + subject + "/versions)");
    }

    static RegistryError subjectSoftDeleted(String subject) {
        return new RegistryError(404, 40404, "Subject '" + subject + "' was soft deleted. Set permanent=true to"
                + " delete permanently");
    }

    static RegistryError subjectNotSoftDeleted(String subject) {
        return new RegistryError(404, 40405, "Subject '" + subject + "' was not deleted first before being"
                + " permanently deleted");
    }

    static RegistryError versionSoftDeleted(String subject, int version) {
        return new RegistryError(404, 40406, "Subject '" + subject + "' Version " + version + " was soft deleted."
                + " Set permanent=true to delete permanently");
    }

    static RegistryError versionNotSoftDeleted(String subject, int version) {
        return new RegistryError(404, 40407, "Subject '" + subject + "' Version " + version + " was not deleted"
                + " first before being permanently deleted");
    }

    static RegistryError subjectLevelModeNotSet(String subject) {
        return new RegistryError(404, 40409, "Subject '" + subject
                + "' does not have subject-level mode configured; GET /mode for the global mode,"
                + " or add ?defaultToGlobal=true");
    }

    static RegistryError invalidMode(String mode) {
        return new RegistryError(422, 42204, "Invalid mode '" + mode + "'. Valid values are READWRITE, READONLY,"
                + " IMPORT");
    }

    /** Confluent's 42205: what the subject's mode (or the state of the registry) forbids. */
    static RegistryError operationNotPermitted(String message) {
        return new RegistryError(422, 42205, message);
    }

    static RegistryError subjectLevelConfigNotSet(String subject) {
        return new RegistryError(404, 40408, "Subject '" + subject
                + "' does not have subject-level compatibility configured; GET /config for the global level,"
                + " or add ?defaultToGlobal=true");
    }

    static RegistryError incompatible(String message) {
        return new RegistryError(409, 409, message);
    }

    static RegistryError invalidSchema(String message) {
        return new RegistryError(422, 42201, "Invalid schema: " + message);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError invalidCompatibilityLevel(String level) {
        return new RegistryError(422, 42203, "Invalid compatibility level '" + level + "'. Valid values are "
                + "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE");
    }

    static RegistryError storeError(String message, Throwable cause) {
        return new RegistryError(500, 50001, "Error in the backend data store: " + message, cause);
    }
}
