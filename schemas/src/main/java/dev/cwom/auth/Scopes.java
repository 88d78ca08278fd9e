package dev.cwom.auth;

import java.util.List;

/**
 * The scopes of the pipeline's APIs. Code asks for scopes, never for roles: a JWT carries them in its {@code scope}
 * or {@code scp} claim, an API token has them in its configuration; both become authorities {@code SCOPE_<scope>}.
 */
public final class Scopes {

    /** Read the CWOM objects, runs, artifacts and tasks. */
    public static final String READ = "cwom.read";
    /** Create Repos, Issues, ContextPackets, ConstraintSnapshots, DoctrineRefs; change an Issue's status; tasks. */
    public static final String SUBMIT = "cwom.submit";
    /** Report Runs and Artifacts over REST (agents). */
    public static final String REPORT = "cwom.report";
    /** Download blobs. */
    public static final String BLOBS_READ = "blobs.read";
    /** Upload blobs (workers, agents). */
    public static final String BLOBS_WRITE = "blobs.write";
    /** Register schemas in the schema registry (the services that produce). */
    public static final String SCHEMAS_WRITE = "schemas.write";
    /** The operator: the policy, and every endpoint no rule names (actuator beyond health included). */
    public static final String ADMIN = "cwom.admin";

    /** Every scope, for documentation and checks of configured tokens. */
    public static final List<String> ALL = List.of(READ, SUBMIT, REPORT, BLOBS_READ, BLOBS_WRITE, SCHEMAS_WRITE, ADMIN);

    /** The Spring Security authority of a scope. */
    public static String authority(String scope) {
        return "SCOPE_" + scope;
    }

    private Scopes() {
    }
}
