package dev.cwom.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/** Glob matching of slugs, hosts and names: {@code *} is any run of characters (slashes and dots too). */
final class Globs {

    /** The entry of an allow-list that allows everything. */
    static final String ANY = "*";

    private Globs() {
    }

    static boolean matches(String glob, String value) {
        if (glob.equals(ANY)) {
            return true;
        }
        StringBuilder regex = new StringBuilder();
        for (String part : glob.toLowerCase(Locale.ROOT).split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.matches(regex.toString(), value.toLowerCase(Locale.ROOT));
    }

    static boolean anyMatches(Iterable<String> globs, String value) {
        for (String glob : globs) {
            if (matches(glob, value)) {
                return true;
            }
        }
        return false;
    }
}
