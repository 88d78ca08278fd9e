package dev.cwom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.model.Run;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DatabindException;

class UtcInstantsTests {

    @Test
    void writesTimestampsInUtcWithExactlyMilliseconds() {
        assertThat(CwomJson.mapper().writeValueAsString(Instant.parse("2026-01-25T10:15:30Z")))
                .isEqualTo("\"2026-01-25T10:15:30.000Z\"");
        assertThat(CwomJson.mapper().writeValueAsString(Instant.parse("2026-01-25T10:15:30.123456789Z")))
                .isEqualTo("\"2026-01-25T10:15:30.123Z\"");
    }

    @Test
    void anObjectMadeWithAMicrosecondClockIsEqualAfterAJsonRoundTrip() {
        Instant now = Instant.parse("2026-01-25T10:15:30.123456Z");
        Run.Telemetry telemetry = new Run.Telemetry(now, now.plusNanos(1_500_000), null);

        String json = CwomJson.mapper().writeValueAsString(telemetry);

        assertThat(json).isEqualTo("{\"started_at\":\"2026-01-25T10:15:30.123Z\",\"ended_at\":\"2026-01-25T10:15:30.124Z\"}");
        assertThat(CwomJson.mapper().readValue(json, Run.Telemetry.class)).isEqualTo(telemetry);
    }

    @Test
    void readsUtcOffsetsAndFractionsOfAnyLength() {
        assertThat(CwomJson.mapper().readValue("\"2026-01-25T10:15:30+00:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-01-25T10:15:30Z"));
        assertThat(CwomJson.mapper().readValue("\"2026-01-25T10:15:30.1234567Z\"", Instant.class))
                .isEqualTo(Instant.parse("2026-01-25T10:15:30.123Z"));
    }

    @Test
    void refusesANonUtcOffsetNamingTheUtcForm() {
        assertThatThrownBy(() -> CwomJson.mapper().readValue("\"2026-01-25T12:15:30+02:00\"", Instant.class))
                .isInstanceOf(DatabindException.class)
                .hasMessageContaining("'2026-01-25T12:15:30+02:00' has the offset +02:00")
                .hasMessageContaining("write 2026-01-25T10:15:30.000Z");
    }

    @Test
    void refusesSomethingThatIsNotATimestamp() {
        assertThatThrownBy(() -> CwomJson.mapper().readValue("\"yesterday\"", Instant.class))
                .hasMessageContaining("'yesterday' is not a timestamp; expected an ISO-8601 UTC timestamp");
        assertThatThrownBy(() -> CwomJson.mapper().readValue("1769336130", Instant.class))
                .hasMessageContaining("expected an ISO-8601 UTC timestamp");
    }
}
