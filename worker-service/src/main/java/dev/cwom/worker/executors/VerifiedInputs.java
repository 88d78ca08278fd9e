package dev.cwom.worker.executors;

import dev.cwom.model.CwomObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Pinned objects already read and validated, by kind and digest, so that one that arrives again is not parsed and
 * validated again: every work order of a Repo pins the same Repo, most pin the same operator policy, and the two are
 * 40 % of a typical work order's inputs (reading and validating them was a fifth to a third of the pick-up thread).
 *
 * <p>Safe because the key is the digest the content was <em>just</em> found to hash to: {@link ExecutionRequest#of}
 * hashes every input's bytes on every run and looks up only when they match the digest the work order names, so an
 * object found here was read from exactly those bytes (to SHA-256's collision resistance). A replayed or forged input
 * whose bytes do not match its digest is refused before the lookup; one that does not validate is never kept.
 *
 * <p>Bounded, least recently used first out: at most {@code maxEntries} objects, whose canonical JSON is at most
 * {@code maxChars} characters in all; an object larger than a quarter of that is not kept. Thread-safe.
 */
public final class VerifiedInputs {

    /** What the worker keeps: some hundred Repos and policies, a few MB of JSON at most. */
    public static final int DEFAULT_MAX_ENTRIES = 512;
    public static final long DEFAULT_MAX_CHARS = 4L * 1024 * 1024;

    private record Key(Class<?> type, String digest) {
    }

    private record Entry(CwomObject value, int chars) {
    }

    private final int maxEntries;
    private final long maxChars;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long chars;

    public VerifiedInputs(int maxEntries, long maxChars) {
        this.maxEntries = maxEntries;
        this.maxChars = maxChars;
    }

    /** The worker's cache, with the default bounds. */
    public static VerifiedInputs bounded() {
        return new VerifiedInputs(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_CHARS);
    }

    /** Keeps nothing: every input is read and validated every time. */
    public static VerifiedInputs none() {
        return new VerifiedInputs(0, 0);
    }

    /** The object read from content with {@code digest} as {@code type}, if it is kept. */
    synchronized <T extends CwomObject> @Nullable T find(Class<T> type, String digest) {
        Entry entry = entries.get(new Key(type, digest));
        return entry == null ? null : type.cast(entry.value());
    }

    /** Keeps {@code value}, read and validated from {@code chars} characters of JSON that hash to {@code digest}. */
    synchronized void keep(Class<?> type, String digest, CwomObject value, int chars) {
        if (maxEntries == 0 || chars > maxChars / 4) {
            return;
        }
        Entry previous = entries.put(new Key(type, digest), new Entry(value, chars));
        this.chars += chars - (previous == null ? 0 : previous.chars());
        Iterator<Entry> oldest = entries.values().iterator();
        while (entries.size() > maxEntries || this.chars > maxChars) {
            this.chars -= oldest.next().chars();
            oldest.remove();
        }
    }

    /** How many objects are kept. */
    public synchronized int size() {
        return entries.size();
    }
}
