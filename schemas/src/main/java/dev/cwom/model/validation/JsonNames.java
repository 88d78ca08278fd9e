package dev.cwom.model.validation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The JSON name of a Java property of the CWOM records, derived the way the mapper derives it: an explicit
 * {@code @JsonProperty} name wins, otherwise the class's {@code @JsonNaming} strategy translates the Java name.
 * Keeps validation paths in the spec's names without a second, hand-written mapping.
 */
final class JsonNames {

    private static final Map<Class<?>, PropertyNamingStrategy> STRATEGIES = new ConcurrentHashMap<>();

    private JsonNames() {
    }

    static String of(Class<?> owner, String javaName) {
        Field field = field(owner, javaName);
        if (field != null) {
            JsonProperty explicit = field.getAnnotation(JsonProperty.class);
            if (explicit != null && !explicit.value().isEmpty()) {
                return explicit.value();
            }
        }
        JsonNaming naming = owner.getAnnotation(JsonNaming.class);
        if (naming == null) {
            return javaName;
        }
        PropertyNamingStrategy strategy = STRATEGIES.computeIfAbsent(naming.value(), JsonNames::instantiate);
        return strategy.nameForField(null, null, javaName);
    }

    /** The declared type of a property, or null when the class has no such field. */
    static @Nullable Type typeOf(Class<?> owner, String javaName) {
        Field field = field(owner, javaName);
        return field == null ? null : field.getGenericType();
    }

    static Class<?> rawClass(@Nullable Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    /** The element type of a List (or value type of a Map), else the type itself. */
    static @Nullable Type elementOf(@Nullable Type type) {
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            return args[args.length - 1];
        }
        return type;
    }

    private static @Nullable Field field(Class<?> owner, String javaName) {
        for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(javaName);
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        return null;
    }

    private static PropertyNamingStrategy instantiate(Class<?> type) {
        try {
            return (PropertyNamingStrategy) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create the naming strategy " + type.getName(), e);
        }
    }
}
