package dev.cwom.model;

import com.github.f4b6a3.ulid.UlidCreator;
import java.util.regex.Pattern;

/** ULIDs, the ids of every CWOM object and event. */
public final class Ids {

    private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

    private Ids() {
    }

    /** A new ULID, monotonic within this JVM so that ids made in the same millisecond still sort by creation. */
    public static String newUlid() {
        return UlidCreator.getMonotonicUlid().toString();
    }

    /** Whether {@code value} is a canonical (upper-case) ULID. */
    public static boolean isUlid(String value) {
        return ULID.matcher(value).matches();
    }
}
