package dev.cwom.model.validation;

import dev.cwom.json.CwomJson;
import dev.cwom.model.CwomObject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;

/**
 * The one way to check CWOM objects, for REST and Kafka intake alike: Jakarta Bean Validation on the records plus the
 * spec's cross-field rules ({@link CrossFieldRules}) and the values every string and number must have to be stored
 * ({@link JsonValues}: no U+0000, finite numbers), each problem reported as a {@link Violation} with a JSON path in
 * the spec's names. Thread-safe; {@link #shared()} is the instance to use.
 */
public final class CwomValidator {

    private static final CwomValidator SHARED = new CwomValidator();

    private final Validator beanValidator;

    public CwomValidator() {
        // Parameter interpolation needs no expression language, so this works the same with or without Spring.
        ValidatorFactory factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        this.beanValidator = factory.getValidator();
    }

    /** The JVM-wide validator. */
    public static CwomValidator shared() {
        return SHARED;
    }

    /** Everything wrong with {@code object}, ordered by path; empty when it is valid. */
    public List<Violation> validate(CwomObject object) {
        List<Violation> violations = new ArrayList<>();
        for (ConstraintViolation<CwomObject> v : beanValidator.validate(object)) {
            violations.add(new Violation(JsonPath.of(object.getClass(), v.getPropertyPath()).toString(),
                    ViolationMessages.of(v)));
        }
        violations.addAll(CrossFieldRules.check(object));
        violations.addAll(JsonValues.check(object));
        violations.sort(Comparator.comparing(Violation::path).thenComparing(Violation::message));
        return List.copyOf(violations);
    }

    /**
     * Only the spec's cross-field rules (failure exactly when failed, a Run ends after it starts, ...), ordered by
     * path: for a partial update merged with the stored object, whose other fields were checked when it was stored,
     * so that an update is held to the same rules as a whole object.
     */
    public List<Violation> crossFieldViolations(CwomObject merged) {
        List<Violation> violations = new ArrayList<>(CrossFieldRules.check(merged));
        violations.sort(Comparator.comparing(Violation::path).thenComparing(Violation::message));
        return List.copyOf(violations);
    }

    /**
     * Validates any request body: CWOM objects as {@link #validate(CwomObject)}, other records and beans (a service's
     * own request types) with plain Bean Validation and the same string and number checks, their paths rendered the
     * same way.
     */
    public List<Violation> validateBody(Object body) {
        if (body instanceof CwomObject object) {
            return validate(object);
        }
        List<Violation> violations = new ArrayList<>();
        for (ConstraintViolation<Object> v : beanValidator.validate(body)) {
            violations.add(new Violation(JsonPath.of(body.getClass(), v.getPropertyPath()).toString(),
                    ViolationMessages.of(v)));
        }
        violations.addAll(JsonValues.check(body));
        violations.sort(Comparator.comparing(Violation::path).thenComparing(Violation::message));
        return List.copyOf(violations);
    }

    /**
     * Returns {@code object} when it is valid.
     *
     * @throws CwomValidationException carrying every violation otherwise
     */
    public <T extends CwomObject> T requireValid(T object) {
        List<Violation> violations = validate(object);
        if (!violations.isEmpty()) {
            throw new CwomValidationException(object.kind(), violations);
        }
        return object;
    }

    /**
     * Reads a CWOM object of kind {@code type} from JSON and validates it: malformed JSON, unknown fields, wrong JSON
     * types, unknown enum values, non-UTC timestamps and a {@code kind} that names another kind become violations
     * too, with the same JSON paths.
     *
     * @throws CwomValidationException when the JSON cannot be read or the object is invalid
     */
    public <T extends CwomObject> T read(String json, Class<T> type) {
        String kind = type.getSimpleName();
        JsonNode tree;
        try {
            tree = CwomJson.mapper().readTree(json);
        } catch (JacksonException e) {
            throw new CwomValidationException(kind, List.of(violationOf(e)));
        }
        if (tree == null || !tree.isObject()) {
            String found = tree == null || tree.isMissingNode() ? "empty" : "a JSON " + ReadProblems.nodeName(tree);
            throw new CwomValidationException(kind,
                    List.of(new Violation("$", "is " + found + "; expected a JSON object describing "
                            + ViolationMessages.withArticle(kind))));
        }
        JsonNode declaredKind = tree.get("kind");
        if (declaredKind != null && !declaredKind.isNull() && !kind.equals(declaredKind.asString())) {
            throw new CwomValidationException(kind, List.of(new Violation("$.kind",
                    "is '" + declaredKind.asString() + "' but " + ViolationMessages.withArticle(kind)
                            + " is expected here; send it where "
                            + declaredKind.asString() + " objects go, or set kind to '" + kind + "'")));
        }
        T object;
        try {
            object = CwomJson.mapper().treeToValue(tree, type);
        } catch (JacksonException e) {
            throw new CwomValidationException(kind, List.of(violationOf(e)));
        }
        return requireValid(object);
    }

    /**
     * The violation behind a failure of the CWOM mapper to read JSON (for example the cause of a REST framework's
     * "message not readable" error), with the same path and message {@link #read(String, Class)} would report.
     */
    public static Violation violationOf(JacksonException e) {
        if (e instanceof StreamConstraintsException tooLarge) {
            return ReadProblems.limit(tooLarge);
        }
        if (e instanceof StreamReadException malformed) {
            return ReadProblems.malformed(malformed);
        }
        if (e instanceof DatabindException unreadable) {
            return ReadProblems.of(unreadable);
        }
        return new Violation("$", e.getOriginalMessage());
    }

    /** {@link #read(String, Class)} for UTF-8 bytes, e.g. a Kafka record value or a REST body. */
    public <T extends CwomObject> T read(byte[] json, Class<T> type) {
        return read(new String(json, StandardCharsets.UTF_8), type);
    }
}
