package dev.cwom.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The operating envelope at a moment: time, energy, health, money, tools, environment, risk. Immutable. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConstraintSnapshot(
        @Ulid @Nullable String id,
        String kind,
        @NotNull ConstraintScope scope,
        @Nullable Instant capturedAt,
        @Valid @Nullable Actor owner,
        @Valid Constraints constraints,
        List<String> tags,
        Map<String, Object> meta,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) implements CwomObject {

    public static final String KIND = "ConstraintSnapshot";

    public ConstraintSnapshot {
        kind = KIND;
        capturedAt = Defaults.instant(capturedAt);
        createdAt = Defaults.instant(createdAt);
        updatedAt = Defaults.instant(updatedAt);
        constraints = Defaults.or(constraints, new Constraints(null, null, null, null, null, null, null));
        tags = Defaults.list(tags);
        meta = Defaults.meta(meta);
    }

    /** The limits, each optional. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Constraints(@Valid @Nullable Time time, @Valid @Nullable Energy energy,
            @Valid @Nullable Health health, @Valid @Nullable Budget budget, @Valid @Nullable Tools tools,
            @Valid @Nullable Environment environment, @Valid @Nullable Risk risk) {
    }

    /** Time available; fractional minutes are allowed (0.05 = 3 seconds). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Time(@DecimalMin(value = "0", inclusive = false) @Nullable Double availableMinutes,
            @Nullable Instant deadline) {
        public Time {
            deadline = Defaults.instant(deadline);
        }
    }

    /** Energy on a 0..5 scale. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Energy(@JsonProperty("score_0_5") @Min(0) @Max(5) @Nullable Integer score05,
            @Nullable String notes) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Health(List<String> flags, @Nullable String notes) {
        public Health {
            flags = Defaults.list(flags);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Budget(@DecimalMin("0") @Nullable Double usdAvailable, @DecimalMin("0") @Nullable Double burnLimitUsd) {
    }

    /** Tools that may and may not be used; blocked wins over allowed. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Tools(List<String> allowed, List<String> blocked) {
        public Tools {
            allowed = Defaults.list(allowed);
            blocked = Defaults.list(blocked);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Environment(@Nullable String location, @Nullable Connectivity connectivity, @Nullable String device) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Risk(@Nullable RiskTolerance tolerance, @Nullable String notes) {
    }

    @Override
    public ConstraintSnapshot withIdentity(String id, Instant createdAt, Instant updatedAt) {
        return new ConstraintSnapshot(id, kind, scope, capturedAt == null ? createdAt : capturedAt, owner, constraints,
                tags, meta, createdAt, updatedAt);
    }
}
