package dev.cwom.registry;

import dev.cwom.registry.StoreRecord.CompatibilityCleared;
import dev.cwom.registry.StoreRecord.CompatibilitySet;
import dev.cwom.registry.StoreRecord.ModeCleared;
import dev.cwom.registry.StoreRecord.ModeSet;
import dev.cwom.registry.StoreRecord.SchemaRegistered;
import dev.cwom.registry.StoreRecord.SubjectDeleted;
import dev.cwom.registry.StoreRecord.VersionPurged;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The registry's rules, as Confluent Schema Registry has them for Avro: global schema ids (the same schema keeps its
 * id in every subject), versions per subject from 1, re-registering a schema answers its existing id, compatibility
 * checked against earlier live versions by the subject's level (else the global one); soft deletion (hidden, still
 * readable by id and with {@code deleted=true}) before permanent deletion; READWRITE, READONLY and IMPORT modes.
 * Every change is written to the {@link SchemaStore} before it is applied, so the state can be rebuilt from the
 * store. Single writer: one registry instance per store. Thread-safe.
 */
public final class SchemaRegistry {

    private final SchemaStore store;
    private final RegistryState state;

    private SchemaRegistry(SchemaStore store, CompatibilityLevel defaultLevel) {
        this.store = store;
        this.state = new RegistryState(defaultLevel);
    }

    /** A registry whose state is replayed from {@code store}; {@code defaultLevel} until the store says otherwise. */
    public static SchemaRegistry open(SchemaStore store, CompatibilityLevel defaultLevel) {
        SchemaRegistry registry = new SchemaRegistry(store, defaultLevel);
        store.readAll().forEach(registry.state::apply);
        return registry;
    }

    /** An empty registry kept in memory only, with BACKWARD compatibility. */
    public static SchemaRegistry inMemory() {
        return open(SchemaStore.inMemory(), CompatibilityLevel.BACKWARD);
    }

    /** Registers {@code schemaText} under {@code subject} (or finds it there) and answers that version. */
    public RegisteredVersion register(String subject, String schemaText) {
        return register(subject, schemaText, null, null);
    }

    /**
     * Registers {@code schemaText} under {@code subject}. In IMPORT mode {@code importId} is required (and
     * {@code importVersion} optional): the version keeps the id it has in the registry it comes from, and no
     * compatibility is checked; in READWRITE mode neither may be given; in READONLY mode nothing is registered.
     */
    public synchronized RegisteredVersion register(String subject, String schemaText, @Nullable Integer importId,
                                                   @Nullable Integer importVersion) {
        Schema schema = parse(schemaText);
        String text = schema.toString();
        RegistryMode mode = state.mode(subject);
        if (mode == RegistryMode.READONLY) {
            throw RegistryError.operationNotPermitted("Subject '" + subject + "' is in read-only mode");
        }
        if (mode == RegistryMode.IMPORT) {
            return importVersion(subject, schema, text, importId, importVersion);
        }
        if (importId != null || importVersion != null) {
            throw RegistryError.operationNotPermitted("Subject '" + subject + "' is not in import mode: an id or"
                    + " version can only be given in IMPORT mode (PUT /mode/" + subject + " {\"mode\":\"IMPORT\"})");
        }
        List<RegisteredVersion> live = state.versions(subject, false);
        for (RegisteredVersion existing : live) {
            if (existing.text().equals(text)) {
                return existing;
            }
        }
        CompatibilityLevel level = state.compatibility(subject);
        List<String> problems = level.incompatibilities(schema, live);
        if (!problems.isEmpty()) {
            throw RegistryError.incompatible("Schema being registered is incompatible with an earlier schema for"
                    + " subject \"" + subject + "\" (compatibility " + level + "), details: " + problems);
        }
        int version = state.nextVersion(subject);
        write(new SchemaRegistered(subject, version, state.idFor(text), text));
        return find(subject, version, false);
    }

    private RegisteredVersion importVersion(String subject, Schema schema, String text, @Nullable Integer id,
                                            @Nullable Integer version) {
        if (id == null || id < 1) {
            throw RegistryError.operationNotPermitted("Subject '" + subject + "' is in import mode: give the"
                    + " schema's \"id\" (and optionally its \"version\") in the request");
        }
        Schema bound = state.schemaById(id);
        if (bound != null && !bound.toString().equals(text)) {
            throw RegistryError.operationNotPermitted("Overwrite new schema with id " + id + " is not permitted:"
                    + " the id already holds another schema");
        }
        if (version != null && version < 1) {
            throw RegistryError.invalidVersion(version.toString());
        }
        int at = version == null ? state.nextVersion(subject) : version;
        for (RegisteredVersion existing : state.versions(subject, true)) {
            if (existing.version() == at || (existing.text().equals(text) && !existing.deleted())) {
                if (existing.id() == id && existing.text().equals(text)) {
                    return existing;
                }
                throw RegistryError.operationNotPermitted("Overwrite of version " + existing.version()
                        + " of subject '" + subject + "' (id " + existing.id() + ") is not permitted");
            }
        }
        write(new SchemaRegistered(subject, at, id, text));
        return find(subject, at, false);
    }

    /** The version of {@code subject} holding {@code schemaText} (among soft-deleted ones too if asked): 40401/3. */
    public synchronized RegisteredVersion lookup(String subject, String schemaText, boolean includeDeleted) {
        String text = parse(schemaText).toString();
        RegisteredVersion found = null;
        for (RegisteredVersion existing : versionsOf(subject, includeDeleted)) {
            if (existing.text().equals(text)) {
                found = existing; // the newest one: a schema registered again after a soft delete
            }
        }
        if (found == null) {
            throw RegistryError.schemaNotFoundInSubject(subject);
        }
        return found;
    }

    /** The live version of {@code subject} holding {@code schemaText}, or 40401 / 40403. */
    public RegisteredVersion lookup(String subject, String schemaText) {
        return lookup(subject, schemaText, false);
    }

    /** The schema with global id {@code id} (soft-deleted versions keep theirs readable), or 40403. */
    public synchronized RegisteredVersion schemaById(int id) {
        Schema schema = state.schemaById(id);
        if (schema == null) {
            throw RegistryError.schemaNotFound(id);
        }
        List<RegisteredVersion> usages = state.usages(id);
        return usages.stream().filter(v -> !v.deleted()).findFirst().orElse(usages.getFirst());
    }

    /** The subject-versions holding schema {@code id} (soft-deleted ones too if asked), or 40403. */
    public synchronized List<RegisteredVersion> usages(int id, boolean includeDeleted) {
        if (state.schemaById(id) == null) {
            throw RegistryError.schemaNotFound(id);
        }
        return state.usages(id).stream().filter(v -> includeDeleted || !v.deleted()).toList();
    }

    /** Every subject with a live version (or with any version, soft-deleted ones too), sorted. */
    public synchronized List<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    /** Every subject with a live version, sorted. */
    public List<String> subjects() {
        return subjects(false);
    }

    /** The version numbers of {@code subject} (soft-deleted ones too if asked), or 40401. */
    public synchronized List<Integer> versions(String subject, boolean includeDeleted) {
        return versionsOf(subject, includeDeleted).stream().map(RegisteredVersion::version).toList();
    }

    /** The live version numbers of {@code subject}, or 40401. */
    public List<Integer> versions(String subject) {
        return versions(subject, false);
    }

    /** Version {@code versionSpec} ("latest", "-1" or a number) of {@code subject}: 40401, 40402 or 42202. */
    public synchronized RegisteredVersion version(String subject, String versionSpec, boolean includeDeleted) {
        List<RegisteredVersion> versions = versionsOf(subject, includeDeleted);
        int version = parseVersion(versionSpec);
        return version == -1 ? versions.getLast() : find(subject, version, includeDeleted);
    }

    /** Live version {@code versionSpec} of {@code subject}. */
    public RegisteredVersion version(String subject, String versionSpec) {
        return version(subject, versionSpec, false);
    }

    /**
     * Soft-deletes every live version of {@code subject} and answers their numbers; with {@code permanent}, purges
     * a subject that was soft-deleted first (its versions, its own compatibility level and mode). 40401, 40404,
     * 40405, or 42205 in READONLY mode.
     */
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        refuseWhenReadOnly(subject);
        List<RegisteredVersion> all = versionsOf(subject, true);
        List<RegisteredVersion> live = state.versions(subject, false);
        if (!permanent) {
            if (live.isEmpty()) {
                throw RegistryError.subjectSoftDeleted(subject);
            }
            write(new SubjectDeleted(subject, all.getLast().version()));
            return live.stream().map(RegisteredVersion::version).toList();
        }
        if (!live.isEmpty()) {
            throw RegistryError.subjectNotSoftDeleted(subject);
        }
        List<Integer> purged = new ArrayList<>();
        for (RegisteredVersion v : all) {
            write(new VersionPurged(subject, v.version()));
            purged.add(v.version());
        }
        if (state.subjectCompatibility(subject) != null) {
            write(new CompatibilityCleared(subject));
        }
        if (state.subjectMode(subject) != null) {
            write(new ModeCleared(subject));
        }
        return purged;
    }

    /**
     * Soft-deletes version {@code versionSpec} of {@code subject} ("latest" is the newest live one); with
     * {@code permanent}, purges a version that was soft-deleted first. 40401, 40402, 40406, 40407, 42202, or 42205
     * in READONLY mode.
     */
    public synchronized int deleteVersion(String subject, String versionSpec, boolean permanent) {
        refuseWhenReadOnly(subject);
        int number = parseVersion(versionSpec);
        RegisteredVersion version = number == -1
                ? versionsOf(subject, permanent).getLast()
                : find(subject, number, true);
        if (!permanent) {
            if (version.deleted()) {
                throw RegistryError.versionSoftDeleted(subject, version.version());
            }
            write(new SchemaRegistered(subject, version.version(), version.id(), version.text(), true));
        } else {
            if (!version.deleted()) {
                throw RegistryError.versionNotSoftDeleted(subject, version.version());
            }
            write(new VersionPurged(subject, version.version()));
        }
        return version.version();
    }

    /**
     * The incompatibilities of {@code schemaText} with version {@code versionSpec} of {@code subject} (for "latest",
     * with what registering it would be checked against); empty when compatible or when the subject has no versions
     * yet and "latest" was asked.
     */
    public synchronized List<String> checkCompatibility(String subject, String versionSpec, String schemaText) {
        Schema schema = parse(schemaText);
        int version = parseVersion(versionSpec);
        if (version == -1) {
            return state.compatibility(subject).incompatibilities(schema, state.versions(subject, false));
        }
        return state.compatibility(subject).incompatibilities(schema, List.of(find(subject, version, false)));
    }

    /** The global compatibility level. */
    public synchronized CompatibilityLevel globalCompatibility() {
        return state.globalCompatibility();
    }

    /** The level set for {@code subject} itself, if any. */
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(state.subjectCompatibility(subject));
    }

    /** Sets the global level ({@code subject} null) or a subject's own level. */
    public synchronized void setCompatibility(@Nullable String subject, CompatibilityLevel level) {
        write(new CompatibilitySet(subject, level));
    }

    /** The global mode. */
    public synchronized RegistryMode globalMode() {
        return state.globalMode();
    }

    /** The mode set for {@code subject} itself, if any. */
    public synchronized Optional<RegistryMode> subjectMode(String subject) {
        return Optional.ofNullable(state.subjectMode(subject));
    }

    /**
     * Sets the global mode ({@code subject} null) or a subject's own. Entering IMPORT where live subjects exist
     * needs {@code force} (42205 otherwise), as with Confluent: imported ids could collide with ones in use.
     */
    public synchronized void setMode(@Nullable String subject, RegistryMode mode, boolean force) {
        RegistryMode current = subject == null ? state.globalMode() : state.mode(subject);
        if (mode == RegistryMode.IMPORT && current != RegistryMode.IMPORT && !force) {
            boolean inUse = subject == null ? !state.subjects(false).isEmpty()
                    : !state.versions(subject, false).isEmpty();
            if (inUse) {
                throw RegistryError.operationNotPermitted("Cannot import since found existing subjects; add"
                        + " ?force=true to enter IMPORT mode anyway");
            }
        }
        write(new ModeSet(subject, mode));
    }

    /** Removes {@code subject}'s own mode (it follows the global one again) and answers the one it had; 40409. */
    public synchronized RegistryMode clearMode(String subject) {
        RegistryMode had = state.subjectMode(subject);
        if (had == null) {
            throw RegistryError.subjectLevelModeNotSet(subject);
        }
        write(new ModeCleared(subject));
        return had;
    }

    private void refuseWhenReadOnly(String subject) {
        if (state.mode(subject) == RegistryMode.READONLY) {
            throw RegistryError.operationNotPermitted("Subject '" + subject + "' is in read-only mode");
        }
    }

    private RegisteredVersion find(String subject, int version, boolean includeDeleted) {
        for (RegisteredVersion v : versionsOf(subject, includeDeleted)) {
            if (v.version() == version) {
                return v;
            }
        }
        throw RegistryError.versionNotFound(subject, version);
    }

    /** The versions of {@code subject}; a subject whose versions are all soft-deleted is not found (40401). */
    private List<RegisteredVersion> versionsOf(String subject, boolean includeDeleted) {
        List<RegisteredVersion> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    /** Makes {@code change} durable in the store, then applies it: the store is the truth on every restart. */
    private void write(StoreRecord change) {
        try {
            store.append(change);
        } catch (RuntimeException e) {
            throw RegistryError.storeError(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        state.apply(change);
    }

    /** -1 for "latest" (as Confluent accepts "-1" too), else a version >= 1; 42202 for anything else. */
    private static int parseVersion(String spec) {
        if ("latest".equals(spec)) {
            return -1;
        }
        try {
            int version = Integer.parseInt(spec);
            if (version == -1 || version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the 42202 below
        }
        throw RegistryError.invalidVersion(spec);
    }

    private static Schema parse(String schemaText) {
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) {
            // SchemaParseException, AvroTypeException for a bad default, ...: the parser's message is the answer
            throw RegistryError.invalidSchema(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
