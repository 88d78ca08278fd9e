package dev.cwom.ingest.issues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.Status;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IssueTransitionsTests {

    @Test
    void doneAndCanceledAreFinal() {
        for (Status to : Status.values()) {
            assertThat(IssueTransitions.isAllowed(Status.DONE, to)).as("done -> %s", to).isFalse();
            assertThat(IssueTransitions.isAllowed(Status.CANCELED, to)).as("canceled -> %s", to).isFalse();
        }
    }

    @Test
    void aFailedIssueMayBeRetriedOrCanceledOnly() {
        assertThat(IssueTransitions.allowedFrom(Status.FAILED)).containsExactly(Status.READY, Status.CANCELED);
    }

    @Test
    void onlyARunningIssueMayFinish() {
        Arrays.stream(Status.values()).filter(from -> from != Status.RUNNING).forEach(from -> {
            assertThat(IssueTransitions.isAllowed(from, Status.DONE)).as("%s -> done", from).isFalse();
            assertThat(IssueTransitions.isAllowed(from, Status.FAILED)).as("%s -> failed", from).isFalse();
        });
        assertThat(IssueTransitions.allowedFrom(Status.RUNNING)).contains(Status.DONE, Status.FAILED);
    }

    @Test
    void everyUnfinishedStatusMayBeCanceledAndNoneGoesToItself() {
        for (Status from : Status.values()) {
            assertThat(IssueTransitions.isAllowed(from, from)).as("%s -> itself", from).isFalse();
            if (from != Status.DONE && from != Status.CANCELED) {
                assertThat(IssueTransitions.isAllowed(from, Status.CANCELED)).as("%s -> canceled", from).isTrue();
            }
        }
    }
}
