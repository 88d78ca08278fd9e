package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RecentWorkOrdersTests {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    @Test
    void remembersWhichRunFinishedAWorkOrderOfItsPartition() {
        RecentWorkOrders recent = new RecentWorkOrders(10);
        recent.finished(P0, "order-1", "run-1");

        assertThat(recent.handled(P0, "order-1")).isEqualTo("run run-1 already finished it");
        assertThat(recent.handled(P0, "order-2")).isNull();
        assertThat(recent.handled(P1, "order-1")).isNull();
    }

    @Test
    void remembersWorkOrdersReadBackFromBeforeTheCommittedOffset() {
        RecentWorkOrders recent = new RecentWorkOrders(10);
        recent.handledBefore(P1, 8, List.of(new WorkOrderReadBack.Handled("order-1", 5)));

        assertThat(recent.handled(P1, "order-1"))
                .isEqualTo("it was handled at offset 5, before the committed offset 8 of partition orders-1 when this"
                        + " worker took the partition");
    }

    @Test
    void forgetsTheOldestBeyondItsCapacityPerPartition() {
        RecentWorkOrders recent = new RecentWorkOrders(2);
        recent.finished(P0, "order-1", "run-1");
        recent.finished(P0, "order-2", "run-2");
        recent.finished(P1, "order-9", "run-9");
        recent.finished(P0, "order-3", "run-3");

        assertThat(recent.handled(P0, "order-1")).isNull();
        assertThat(recent.handled(P0, "order-2")).isNotNull();
        assertThat(recent.handled(P0, "order-3")).isNotNull();
        assertThat(recent.handled(P1, "order-9")).isNotNull();
    }

    @Test
    void forgetsPartitionsTakenAway() {
        RecentWorkOrders recent = new RecentWorkOrders(10);
        recent.finished(P0, "order-1", "run-1");
        recent.finished(P1, "order-2", "run-2");

        recent.forget(List.of(P0));

        assertThat(recent.handled(P0, "order-1")).isNull();
        assertThat(recent.handled(P1, "order-2")).isNotNull();
    }

    @Test
    void aCapacityOfZeroRemembersNothing() {
        RecentWorkOrders recent = new RecentWorkOrders(0);
        recent.finished(P0, "order-1", "run-1");
        recent.handledBefore(P0, 1, List.of(new WorkOrderReadBack.Handled("order-2", 0)));

        assertThat(recent.handled(P0, "order-1")).isNull();
        assertThat(recent.handled(P0, "order-2")).isNull();
    }
}
