package dev.cwom.localstack.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTests {

    @Test
    void nearestRankOfAHundredValuesIsTheFiftiethAndTheNinetyNinth() {
        List<Long> values = new ArrayList<>(LongStream.rangeClosed(1, 100).boxed().toList());
        Collections.shuffle(values);

        assertThat(Percentiles.of(values)).isEqualTo(new Percentiles(100, 50, 99, 100));
    }

    @Test
    void aFewValuesGiveMeasuredValuesNotInterpolatedOnes() {
        // ranks: p50 = ceil(0.5 * 3) = 2nd, p99 = ceil(0.99 * 3) = 3rd
        assertThat(Percentiles.of(List.of(900L, 10L, 20L))).isEqualTo(new Percentiles(3, 20, 900, 900));
        assertThat(Percentiles.of(List.of(7L))).isEqualTo(new Percentiles(1, 7, 7, 7));
    }

    @Test
    void theP99OfTwoHundredIsTheThirdSlowestSoTwoSlowIssuesDoNotMoveIt() {
        List<Long> values = new ArrayList<>(Collections.nCopies(198, 100L));
        values.add(5_000L);
        values.add(4_000L);

        Percentiles percentiles = Percentiles.of(values);

        assertThat(percentiles.p99()).isEqualTo(100);
        assertThat(percentiles.max()).isEqualTo(5_000);
        values.set(0, 3_000L);
        assertThat(Percentiles.of(values).p99()).isEqualTo(3_000);
    }

    @Test
    void noValuesGiveZeros() {
        assertThat(Percentiles.of(List.of())).isEqualTo(new Percentiles(0, 0, 0, 0));
    }
}
