package dev.cwom.ingest.tasks;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.cwom.model.IssueType;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A task's operation and the IssueType it maps to, both ways (the seed's mapping table). */
public enum TaskOperation {
    CODE_CHANGE("code_change", IssueType.FEATURE),
    DOCS("docs", IssueType.DOC),
    ANALYSIS("analysis", IssueType.RESEARCH),
    OPS("ops", IssueType.OPS);

    private final String value;
    private final IssueType issueType;

    TaskOperation(String value, IssueType issueType) {
        this.value = value;
        this.issueType = issueType;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public IssueType issueType() {
        return issueType;
    }

    public static Optional<TaskOperation> of(String value) {
        return Arrays.stream(values()).filter(op -> op.value.equals(value)).findFirst();
    }

    /** The operation of an Issue created from a task; empty for issue types no operation maps to. */
    public static Optional<TaskOperation> forIssueType(IssueType type) {
        return Arrays.stream(values()).filter(op -> op.issueType == type).findFirst();
    }

    public static String acceptedValues() {
        return Arrays.stream(values()).map(TaskOperation::value).collect(Collectors.joining(", "));
    }
}
