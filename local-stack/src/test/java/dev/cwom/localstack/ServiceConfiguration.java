package dev.cwom.localstack;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.yaml.snakeyaml.Yaml;

/**
 * The configuration a service accepts, read from the service itself: the keys of its {@code application.yml} (with
 * the environment placeholders they read, e.g. {@code ${KAFKA_BOOTSTRAP_SERVERS:...}}) and the keys of its
 * {@code @ConfigurationProperties} records, found in its executable jar (its own classes and service-common's).
 *
 * @param keys          every property key, in canonical form (lower case, no dashes); the fields of a list's
 *                      record elements as {@code list[].field}
 * @param mapPrefixes   canonical keys whose values are maps, so any sub-key is a property
 * @param placeholders  environment placeholder name -> the canonical key it sets
 * @param defaults      environment placeholder name -> its default in application.yml
 */
record ServiceConfiguration(Set<String> keys, Set<String> mapPrefixes, Map<String, String> placeholders,
                            Map<String, String> defaults) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+):?([^}]*)}");
    private static final String CONFIGURATION_PROPERTIES =
            "org.springframework.boot.context.properties.ConfigurationProperties";
    /** Spring Boot's own map-valued properties the services may set through the environment. */
    private static final Set<String> BOOT_MAPS = Set.of("spring.kafka.properties", "spring.kafka.consumer.properties",
            "spring.kafka.producer.properties", "spring.kafka.admin.properties");
    /** Spring Boot's own properties the services may be given (none of them is in an application.yml). */
    private static final Set<String> BOOT_KEYS = Set.of("spring.config.import");
    /** Libraries of our own whose @ConfigurationProperties records the services bind (cwom.security, cwom.http). */
    private static final String OWN_LIBRARY = "BOOT-INF/lib/service-common-";
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    static ServiceConfiguration read(Path applicationYml, Path bootJar, Path scratch) throws Exception {
        Set<String> keys = new LinkedHashSet<>(BOOT_KEYS);
        Map<String, String> placeholders = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, Object> yml;
        try (InputStream in = Files.newInputStream(applicationYml)) {
            yml = new Yaml().load(in);
        }
        flatten("", yml, (key, value) -> {
            keys.add(canonical(key));
            Matcher m = PLACEHOLDER.matcher(String.valueOf(value));
            while (m.find()) {
                placeholders.put(m.group(1), canonical(key));
                defaults.put(m.group(1), m.group(2));
            }
        });
        Set<String> maps = new LinkedHashSet<>(BOOT_MAPS);
        configurationPropertiesKeys(bootJar, scratch, keys, maps);
        return new ServiceConfiguration(keys, maps, placeholders, defaults);
    }

    /** Whether the environment variable {@code name} binds to a property this service has. */
    boolean accepts(String name) {
        if (placeholders.containsKey(name)) {
            return true;
        }
        // Spring's relaxed binding: SPRING_KAFKA_BOOTSTRAPSERVERS -> spring.kafka.bootstrapservers (dashes dropped).
        String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
        return keys.contains(key) || mapPrefixes.stream().anyMatch(prefix -> key.startsWith(prefix + "."));
    }

    /**
     * Whether the property {@code key} (as a properties file spells it, e.g. {@code cwom.security.api-tokens[0].name})
     * is one this service has.
     */
    boolean acceptsProperty(String key) {
        String canonical = INDEX.matcher(canonical(key)).replaceAll("[]");
        return keys.contains(canonical)
                || mapPrefixes.stream().anyMatch(prefix -> canonical.startsWith(prefix + "."));
    }

    static String canonical(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "");
    }

    private interface Leaf {
        void accept(String key, Object value);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Leaf leaf) {
        map.forEach((key, value) -> {
            String full = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested) {
                flatten(full, (Map<String, Object>) nested, leaf);
            } else {
                leaf.accept(full, value);
            }
        });
    }

    /** Loads the jar's own classes (not initialised) with its libraries and walks each properties record. */
    private static void configurationPropertiesKeys(Path bootJar, Path scratch, Set<String> keys, Set<String> maps)
            throws Exception {
        Path root = Files.createDirectories(scratch.resolve(bootJar.getFileName().toString()));
        List<String> classNames = new ArrayList<>();
        List<URL> urls = new ArrayList<>();
        try (ZipFile zip = new ZipFile(bootJar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                boolean ownClass = name.startsWith("BOOT-INF/classes/") && name.endsWith(".class");
                boolean library = name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar");
                boolean ownLibrary = name.startsWith(OWN_LIBRARY);
                if (entry.isDirectory() || !(ownClass || library)) {
                    continue;
                }
                Path target = root.resolve(name);
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                if (ownClass) {
                    classNames.add(name.substring("BOOT-INF/classes/".length(), name.length() - 6).replace('/', '.'));
                } else {
                    urls.add(target.toUri().toURL());
                    if (ownLibrary) {
                        classNames.addAll(classesOf(target));
                    }
                }
            }
        }
        // After extraction: only an existing folder's URI ends in '/', which URLClassLoader needs to read it as one.
        urls.add(0, root.resolve("BOOT-INF/classes").toUri().toURL());
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null)) {
            for (String className : classNames) {
                Class<?> type = Class.forName(className, false, loader);
                for (Annotation annotation : type.getAnnotations()) {
                    if (annotation.annotationType().getName().equals(CONFIGURATION_PROPERTIES)) {
                        walk(prefixOf(annotation), type, keys, maps);
                    }
                }
            }
        }
    }

    private static List<String> classesOf(Path jar) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class") && !name.equals("module-info.class")
                            && !name.endsWith("package-info.class"))
                    .forEach(name -> names.add(name.substring(0, name.length() - 6).replace('/', '.')));
        }
        return names;
    }

    private static String prefixOf(Annotation annotation) throws Exception {
        for (String attribute : List.of("prefix", "value")) {
            Method m = annotation.annotationType().getMethod(attribute);
            String prefix = (String) m.invoke(annotation);
            if (!prefix.isEmpty()) {
                return prefix;
            }
        }
        throw new IllegalStateException("@ConfigurationProperties without a prefix: " + annotation);
    }

    private static void walk(String prefix, Class<?> type, Set<String> keys, Set<String> maps) {
        if (!type.isRecord()) {
            keys.add(canonical(prefix));
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String key = canonical(prefix + "." + component.getName());
            Class<?> componentType = component.getType();
            if (Map.class.isAssignableFrom(componentType)) {
                keys.add(key);
                maps.add(key);
            } else if (List.class.isAssignableFrom(componentType)) {
                keys.add(key);
                Type element = component.getGenericType() instanceof ParameterizedType list
                        ? list.getActualTypeArguments()[0] : Object.class;
                if (element instanceof Class<?> elementType && elementType.isRecord()) {
                    walk(key + "[]", elementType, keys, maps);
                }
            } else if (componentType.isRecord()) {
                walk(key, componentType, keys, maps);
            } else {
                keys.add(key);
            }
        }
    }

}
