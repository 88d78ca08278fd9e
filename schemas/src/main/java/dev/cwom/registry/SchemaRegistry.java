package dev.cwom.registry;

import dev.cwom.registry.StoreRecord.CompatibilitySet;
import dev.cwom.registry.StoreRecord.SchemaRegistered;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The registry's state and rules, as Confluent Schema Registry has them for Avro: global schema ids (the same schema
 * keeps its id in every subject), versions per subject from 1, re-registering a schema answers its existing id,
 * compatibility checked against earlier versions by the subject's level (else the global one). Every change is
 * written to the {@link SchemaStore} before it is applied, so the state can be rebuilt from the store. Single
 * writer: one registry instance per store. Thread-safe.
 */
public final class SchemaRegistry {

    private final SchemaStore store;
    private final Map<Integer, RegisteredVersion> byId = new HashMap<>();
    private final Map<String, Integer> idByText = new HashMap<>();
    private final Map<String, List<RegisteredVersion>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    private SchemaRegistry(SchemaStore store, CompatibilityLevel defaultLevel) {
        this.store = store;
        this.globalLevel = defaultLevel;
    }

    /** A registry whose state is replayed from {@code store}; {@code defaultLevel} until the store says otherwise. */
    public static SchemaRegistry open(SchemaStore store, CompatibilityLevel defaultLevel) {
        SchemaRegistry registry = new SchemaRegistry(store, defaultLevel);
        for (StoreRecord change : store.readAll()) {
            registry.apply(change);
        }
        return registry;
    }

    /** An empty registry kept in memory only, with BACKWARD compatibility. */
    public static SchemaRegistry inMemory() {
        return open(SchemaStore.inMemory(), CompatibilityLevel.BACKWARD);
    }

    /** Registers {@code schemaText} under {@code subject} (or finds it there) and answers that version. */
    public synchronized RegisteredVersion register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String text = schema.toString();
        List<RegisteredVersion> versions = subjects.getOrDefault(subject, List.of());
        for (RegisteredVersion existing : versions) {
            if (existing.text().equals(text)) {
                return existing;
            }
        }
        CompatibilityLevel level = compatibility(subject);
        List<String> problems = level.incompatibilities(schema, versions);
        if (!problems.isEmpty()) {
            throw RegistryError.incompatible("Schema being registered is incompatible with an earlier schema for"
                    + " subject \"" + subject + "\" (compatibility " + level + "), details: " + problems);
        }
        int id = idByText.getOrDefault(text, maxId + 1);
        int version = versions.isEmpty() ? 1 : versions.getLast().version() + 1;
        SchemaRegistered change = new SchemaRegistered(subject, version, id, text);
        append(change);
        apply(change);
        return version(subject, version);
    }

    /** The version of {@code subject} holding {@code schemaText}, or 40401 / 40403. */
    public synchronized RegisteredVersion lookup(String subject, String schemaText) {
        String text = parse(schemaText).toString();
        for (RegisteredVersion existing : versionsOf(subject)) {
            if (existing.text().equals(text)) {
                return existing;
            }
        }
        throw RegistryError.schemaNotFoundInSubject(subject);
    }

    /** The schema with global id {@code id}, or 40403. */
    public synchronized RegisteredVersion schemaById(int id) {
        RegisteredVersion found = byId.get(id);
        if (found == null) {
            throw RegistryError.schemaNotFound(id);
        }
        return found;
    }

    /** Every subject, sorted. */
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    /** The version numbers of {@code subject}, or 40401. */
    public synchronized List<Integer> versions(String subject) {
        return versionsOf(subject).stream().map(RegisteredVersion::version).toList();
    }

    /** Version {@code versionSpec} ("latest", "-1" or a number) of {@code subject}: 40401, 40402 or 42202. */
    public synchronized RegisteredVersion version(String subject, String versionSpec) {
        List<RegisteredVersion> versions = versionsOf(subject);
        int version = parseVersion(versionSpec);
        return version == -1 ? versions.getLast() : version(subject, version);
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
            return compatibility(subject).incompatibilities(schema, subjects.getOrDefault(subject, List.of()));
        }
        return compatibility(subject).incompatibilities(schema, List.of(version(subject, version)));
    }

    /** The global compatibility level. */
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    /** The level set for {@code subject} itself, if any. */
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** Sets the global level ({@code subject} null) or a subject's own level. */
    public synchronized void setCompatibility(@Nullable String subject, CompatibilityLevel level) {
        CompatibilitySet change = new CompatibilitySet(subject, level);
        append(change);
        apply(change);
    }

    private CompatibilityLevel compatibility(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private RegisteredVersion version(String subject, int version) {
        for (RegisteredVersion v : versionsOf(subject)) {
            if (v.version() == version) {
                return v;
            }
        }
        throw RegistryError.versionNotFound(subject, version);
    }

    private List<RegisteredVersion> versionsOf(String subject) {
        List<RegisteredVersion> versions = subjects.get(subject);
        if (versions == null) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    private void append(StoreRecord change) {
        try {
            store.append(change);
        } catch (RuntimeException e) {
            throw RegistryError.storeError(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private void apply(StoreRecord change) {
        switch (change) {
            case SchemaRegistered r -> {
                Schema schema = new Schema.Parser().parse(r.schema());
                RegisteredVersion version = new RegisteredVersion(r.subject(), r.version(), r.id(), schema,
                        schema.toString());
                List<RegisteredVersion> versions = subjects.computeIfAbsent(r.subject(), s -> new ArrayList<>());
                versions.removeIf(v -> v.version() == r.version());
                versions.add(version);
                versions.sort(java.util.Comparator.comparingInt(RegisteredVersion::version));
                byId.putIfAbsent(r.id(), version);
                idByText.putIfAbsent(version.text(), r.id());
                maxId = Math.max(maxId, r.id());
            }
            case CompatibilitySet c -> {
                if (c.subject() == null) {
                    globalLevel = c.level();
                } else {
                    subjectLevels.put(c.subject(), c.level());
                }
            }
        }
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
