package dev.cwom.localstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The chaos suite's flags and the fault plan they give: the same seed, the same plan. */
class ChaosSettingsTests {

    @Test
    void theSameSeedGivesTheSamePlanWithTheAskedFaultsWithinTheSending() {
        ChaosSettings settings = ChaosSettings.parse("--issues=600", "--rate=20", "--kills=12", "--seed=42",
                "--broker-faults=1", "--postgres-restarts=2", "--max-downtime=PT3S");
        FaultPlan plan = FaultPlan.of(settings);

        assertThat(plan).isEqualTo(FaultPlan.of(ChaosSettings.parse("--issues=600", "--rate=20", "--kills=12",
                "--seed=42", "--broker-faults=1", "--postgres-restarts=2", "--max-downtime=PT3S")));
        assertThat(plan.faults()).hasSize(15);
        assertThat(plan.faults()).filteredOn(f -> f.kind() == FaultPlan.Kind.KILL).hasSize(12)
                .allSatisfy(f -> assertThat(FaultPlan.SERVICES).contains(f.target()))
                .allSatisfy(f -> assertThat(f.down()).isLessThanOrEqualTo(Duration.ofSeconds(3)));
        assertThat(plan.faults()).filteredOn(f -> f.kind() == FaultPlan.Kind.BROKER_RESTART).hasSize(1);
        assertThat(plan.faults()).filteredOn(f -> f.kind() == FaultPlan.Kind.POSTGRES_RESTART).hasSize(2);
        assertThat(plan.faults()).extracting(FaultPlan.Fault::at).isSorted()
                .allSatisfy(at -> assertThat(at).isLessThan(Duration.ofSeconds(30)));
        assertThat(FaultPlan.of(ChaosSettings.parse("--issues=600", "--rate=20", "--kills=12", "--seed=43")))
                .isNotEqualTo(plan);
    }

    @Test
    void withoutASeedARandomOneIsDrawnAndShownSoTheRunCanBeRepeated() {
        ChaosSettings settings = ChaosSettings.parse();
        assertThat(settings.commandLine()).contains("--seed=" + settings.seed());
        assertThat(settings.issues()).isEqualTo(1000);
        assertThat(settings.dataDir().getFileName()).hasToString(".local-stack-chaos");
    }

    @Test
    void badFlagsAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> ChaosSettings.parse("--issues=0")).hasMessageContaining("--issues");
        assertThatThrownBy(() -> ChaosSettings.parse("--rest-fraction=1.5")).hasMessageContaining("--rest-fraction");
        assertThatThrownBy(() -> ChaosSettings.parse("--rate=0")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> ChaosSettings.parse("--brokers=3")).hasMessageContaining("--brokers=3");
        assertThatThrownBy(() -> ChaosSettings.parse("--kills=many")).hasMessageContaining("--kills");
    }
}
