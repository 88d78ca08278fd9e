package dev.cwom.serde;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * The generated classes a specific Avro reader may load. Since Avro 1.12.2 {@code SpecificData} loads the class a
 * writer schema names only when {@link ClassSecurityValidator} trusts it (a writer schema comes from the registry, so
 * without that check it could name any class on the classpath). Avro's default trusts only {@code java.lang} and
 * its own types; this adds the packages of our generated records, and nothing else, to the JVM-wide predicate.
 *
 * <p>The predicate is global in Avro, so this is too: installed once, kept for the JVM's life, packages only added.
 */
public final class TrustedAvroClasses {

    /** The package of the records generated from {@code schemas/src/main/avro}. */
    public static final String CWOM_EVENTS = dev.cwom.events.WorkOrder.class.getPackageName();

    private static final Set<String> PACKAGES = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    private TrustedAvroClasses() {
    }

    /** Lets specific readers load the generated classes of {@code packageName} (not of its sub-packages). */
    public static void trustPackage(String packageName) {
        PACKAGES.add(packageName);
        if (!installed) {
            install();
        }
    }

    /** True when {@code type} lies in a package trusted here; Avro's own predicate is asked as well. */
    static boolean isTrusted(Class<?> type) {
        return PACKAGES.contains(type.getPackageName());
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, TrustedAvroClasses::isTrusted));
        installed = true;
    }
}
