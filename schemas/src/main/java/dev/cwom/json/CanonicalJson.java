package dev.cwom.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeType;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): object members sorted by the UTF-16 code units of their names, no
 * whitespace, numbers formatted as ECMAScript does, strings escaped as JCS prescribes, UTF-8 bytes. This text is what
 * CWOM objects travel as inside events and what {@link Digests} hash, so equal content always gives equal bytes.
 */
public final class CanonicalJson {

    /** Integers up to 2^53 are exact as IEEE-754 doubles, the only numbers JCS knows. */
    private static final long MAX_EXACT = 1L << 53;

    private CanonicalJson() {
    }

    /** The canonical JSON of any value that {@link CwomJson} can write, e.g. a CWOM object. */
    public static String write(Object value) {
        return canonicalize(CwomJson.mapper().valueToTree(value));
    }

    /** {@link #write(Object)} as UTF-8 bytes, ready for hashing or sending. */
    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Canonicalizes JSON text. */
    public static String canonicalize(String json) {
        return canonicalize(CwomJson.mapper().readTree(json));
    }

    /** Canonicalizes a JSON tree. */
    public static String canonicalize(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        append(node, out);
        return out.toString();
    }

    private static void append(JsonNode node, StringBuilder out) {
        JsonNodeType type = node.getNodeType();
        switch (type) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
                // String.compareTo compares UTF-16 code units, exactly JCS's order.
                members.sort(Map.Entry.comparingByKey());
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendString(members.get(i).getKey(), out);
                    out.append(':');
                    append(members.get(i).getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    append(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> appendString(node.stringValue(), out);
            case NUMBER -> out.append(number(node));
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException(
                    "JSON canonicalization supports only JSON values, not a " + type + " node");
        }
    }

    private static String number(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            long v = node.longValue();
            if (Math.abs(v) <= MAX_EXACT) {
                return Long.toString(v);
            }
        }
        if (node.isBigDecimal()) {
            return formatDouble(node.decimalValue().doubleValue());
        }
        if (node.isIntegralNumber()) {
            return formatDouble(node.bigIntegerValue().doubleValue());
        }
        return formatDouble(node.doubleValue());
    }

    /**
     * A double as ECMAScript's Number.prototype.toString writes it (RFC 8785 section 3.2.2.3). Java's
     * {@link Double#toString} gives the shortest digits that round-trip (since JDK 19), the same digits ECMAScript
     * uses except that Java never writes fewer than two; only the layout differs.
     */
    public static String formatDouble(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(value + " cannot be written in JSON; use a finite number");
        }
        if (value == 0) {
            return "0"; // also for -0
        }
        BigDecimal shortest = shortestDecimal(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        // value = 0.<digits> x 10^n
        int n = k - shortest.scale();
        StringBuilder s = new StringBuilder(32);
        if (value < 0) {
            s.append('-');
        }
        if (k <= n && n <= 21) {
            s.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            s.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            s.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            s.append(digits.charAt(0));
            if (k > 1) {
                s.append('.').append(digits, 1, k);
            }
            s.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return s.toString();
    }

    private static BigDecimal shortestDecimal(double positive) {
        BigDecimal javas = new BigDecimal(Double.toString(positive)).stripTrailingZeros();
        if (javas.precision() == 2) {
            // Java writes at least two digits where one would do (4.9E-324); ECMAScript takes the closest single digit.
            BigDecimal one = new BigDecimal(positive).round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(one.toString()) == positive) {
                return one.stripTrailingZeros();
            }
        }
        return javas;
    }

    private static void appendString(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(value, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A lone surrogate has no UTF-8 form; it is escaped as ECMAScript's well-formed JSON.stringify does. */
    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
