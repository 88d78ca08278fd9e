package dev.cwom.model.validation;

import dev.cwom.model.CwomEnum;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Turns the mapper's read failures into violations with JSON paths and plain messages. */
final class ReadProblems {

    private ReadProblems() {
    }

    static Violation malformed(StreamReadException e) {
        TokenStreamLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return new Violation("$", "is not valid JSON" + where + ": " + e.getOriginalMessage());
    }

    /**
     * A document beyond one of the parser's limits (nesting depth, string, number or name length, document length):
     * where the reader was when it stopped, and the limit as Jackson words it.
     */
    static Violation limit(StreamConstraintsException e) {
        return new Violation(path(e), "exceeds a limit of this reader: " + e.getOriginalMessage()
                + "; send a smaller or flatter document");
    }

    static Violation of(DatabindException e) {
        return new Violation(path(e), message(e));
    }

    static String nodeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder("$");
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append('.').append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String message(DatabindException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            return "is not a field of " + u.getReferringClass().getSimpleName() + "; check the spelling"
                    + (known == null || known.isEmpty() ? "" : ", known fields are "
                    + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            // Our own parsers (CwomEnum, UtcInstants) already say what is wrong and what is expected.
            if (t instanceof IllegalArgumentException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() == Instant.class) {
            return f.getOriginalMessage();
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
            return "'" + ViolationMessages.shown(f.getValue()) + "' is not valid here; expected "
                    + expected(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "has the wrong JSON type; expected " + expected(m.getTargetType());
        }
        return e.getOriginalMessage();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Instant.class) {
            return "an ISO-8601 UTC timestamp such as 2026-01-25T10:15:30.123Z";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return type == Integer.class || type == Long.class || type == int.class || type == long.class
                    ? "a whole number" : "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (type.isEnum() && CwomEnum.class.isAssignableFrom(type)) {
            return "one of " + CwomEnum.acceptedValues((Class) type);
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "a value of type " + type.getSimpleName();
    }
}
