package dev.cwom.registry;

import dev.cwom.registry.StoreRecord.CompatibilityCleared;
import dev.cwom.registry.StoreRecord.CompatibilitySet;
import dev.cwom.registry.StoreRecord.ModeCleared;
import dev.cwom.registry.StoreRecord.ModeSet;
import dev.cwom.registry.StoreRecord.SchemaRegistered;
import dev.cwom.registry.StoreRecord.SubjectDeleted;
import dev.cwom.registry.StoreRecord.VersionPurged;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What the registry's store has said so far, rebuilt by applying its records in order: every subject's versions
 * (soft-deleted ones too, until purged), the schemas by global id, the compatibility levels and the modes. Knows no
 * rules; {@link SchemaRegistry} decides what may be written. Not thread-safe: its owner synchronizes.
 */
final class RegistryState {

    private final Map<String, List<RegisteredVersion>> subjects = new TreeMap<>();
    // Ids outlive a purge of one of their versions while another version (live or soft-deleted) still has them, and
    // the text-to-id map outlives them all, so that a schema registered again gets its old id back.
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idByText = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private final Map<String, RegistryMode> subjectModes = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private RegistryMode globalMode = RegistryMode.READWRITE;
    private int maxId;

    RegistryState(CompatibilityLevel defaultLevel) {
        this.globalLevel = defaultLevel;
    }

    void apply(StoreRecord change) {
        switch (change) {
            case SchemaRegistered r -> {
                Schema schema = new Schema.Parser().parse(r.schema());
                RegisteredVersion version = new RegisteredVersion(r.subject(), r.version(), r.id(), schema,
                        schema.toString(), r.deleted());
                List<RegisteredVersion> versions = subjects.computeIfAbsent(r.subject(), s -> new ArrayList<>());
                versions.removeIf(v -> v.version() == r.version());
                versions.add(version);
                versions.sort(Comparator.comparingInt(RegisteredVersion::version));
                schemasById.putIfAbsent(r.id(), schema);
                Integer known = idByText.get(version.text());
                Schema bound = known == null ? null : schemasById.get(known);
                if (bound == null || !bound.toString().equals(version.text())) {
                    idByText.put(version.text(), r.id());
                }
                maxId = Math.max(maxId, r.id());
            }
            case SubjectDeleted d -> {
                List<RegisteredVersion> versions = subjects.getOrDefault(d.subject(), List.of());
                versions.replaceAll(v -> v.version() <= d.upToVersion() ? v.asDeleted() : v);
            }
            case VersionPurged p -> {
                List<RegisteredVersion> versions = subjects.get(p.subject());
                if (versions != null) {
                    versions.removeIf(v -> v.version() == p.version());
                    if (versions.isEmpty()) {
                        subjects.remove(p.subject());
                    }
                }
                schemasById.keySet().removeIf(id -> usages(id).isEmpty());
            }
            case CompatibilitySet c -> {
                if (c.subject() == null) {
                    globalLevel = c.level();
                } else {
                    subjectLevels.put(c.subject(), c.level());
                }
            }
            case CompatibilityCleared c -> subjectLevels.remove(c.subject());
            case ModeSet m -> {
                if (m.subject() == null) {
                    globalMode = m.mode();
                } else {
                    subjectModes.put(m.subject(), m.mode());
                }
            }
            case ModeCleared m -> subjectModes.remove(m.subject());
        }
    }

    /** The versions of {@code subject}, oldest first: all of them, or only the live ones. */
    List<RegisteredVersion> versions(String subject, boolean includeDeleted) {
        List<RegisteredVersion> all = subjects.getOrDefault(subject, List.of());
        return includeDeleted ? List.copyOf(all) : all.stream().filter(v -> !v.deleted()).toList();
    }

    /** The subjects with a live version, or with any version at all. */
    List<String> subjects(boolean includeDeleted) {
        return subjects.keySet().stream().filter(s -> !versions(s, includeDeleted).isEmpty()).toList();
    }

    /** Every version (live or soft-deleted) holding schema {@code id}. */
    List<RegisteredVersion> usages(int id) {
        List<RegisteredVersion> found = new ArrayList<>();
        subjects.values().forEach(versions -> versions.stream().filter(v -> v.id() == id).forEach(found::add));
        return found;
    }

    @Nullable Schema schemaById(int id) {
        return schemasById.get(id);
    }

    /**
     * The id {@code text} had when it was first registered (unless an import has since given that id to another
     * schema), or a new one above every id ever seen.
     */
    int idFor(String text) {
        Integer known = idByText.get(text);
        if (known != null) {
            Schema bound = schemasById.get(known);
            if (bound == null || bound.toString().equals(text)) {
                return known;
            }
        }
        return maxId + 1;
    }

    /** The next version of {@code subject}: soft-deleted versions keep their numbers, purged ones free theirs. */
    int nextVersion(String subject) {
        List<RegisteredVersion> all = subjects.getOrDefault(subject, List.of());
        return all.isEmpty() ? 1 : all.getLast().version() + 1;
    }

    CompatibilityLevel compatibility(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    @Nullable CompatibilityLevel subjectCompatibility(String subject) {
        return subjectLevels.get(subject);
    }

    RegistryMode mode(String subject) {
        return subjectModes.getOrDefault(subject, globalMode);
    }

    RegistryMode globalMode() {
        return globalMode;
    }

    @Nullable RegistryMode subjectMode(String subject) {
        return subjectModes.get(subject);
    }
}
