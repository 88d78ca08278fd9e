package dev.cwom.registry;

import java.util.Locale;

/**
 * Confluent's registry modes, globally or per subject: READWRITE (the default), READONLY (no registration and no
 * deletion, e.g. while migrating or freezing a pipeline's contracts) and IMPORT (registration only with the id, and
 * optionally the version, given in the request, so that another registry's ids can be copied unchanged).
 */
public enum RegistryMode {
    READWRITE,
    READONLY,
    IMPORT;

    /** The mode named {@code name} (any case), or a 42204 error naming the valid ones. */
    public static RegistryMode parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryError.invalidMode(name);
        }
    }
}
