package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentWorkOrdersTests {

    @Test
    void remembersWhichRunFinishedAWorkOrder() {
        RecentWorkOrders recent = new RecentWorkOrders(10);
        recent.finished("order-1", "run-1");

        assertThat(recent.finishedBy("order-1")).isEqualTo("run-1");
        assertThat(recent.finishedBy("order-2")).isNull();
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        RecentWorkOrders recent = new RecentWorkOrders(2);
        recent.finished("order-1", "run-1");
        recent.finished("order-2", "run-2");
        recent.finished("order-3", "run-3");

        assertThat(recent.finishedBy("order-1")).isNull();
        assertThat(recent.finishedBy("order-2")).isEqualTo("run-2");
        assertThat(recent.finishedBy("order-3")).isEqualTo("run-3");
    }

    @Test
    void aCapacityOfZeroRemembersNothing() {
        RecentWorkOrders recent = new RecentWorkOrders(0);
        recent.finished("order-1", "run-1");

        assertThat(recent.finishedBy("order-1")).isNull();
    }
}
