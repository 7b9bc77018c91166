package dev.colo.replication.internal.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.replication.internal.stage.IoRoute.GuestRead;
import dev.colo.replication.internal.stage.IoRoute.GuestWrite;
import dev.colo.replication.internal.stage.IoRoute.ReplicaWrite;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IoPolicyTest {

    /** The table of DESIGN §4, written out cell by cell: every (stage, role) is checked. */
    private static final Map<ReplicationStage, IoRoute[]> EXPECTED = new EnumMap<>(Map.of(
            ReplicationStage.NONE, new IoRoute[] {
                route(GuestRead.LOCAL, GuestWrite.REFUSED, ReplicaWrite.REFUSED),
                route(GuestRead.LOCAL, GuestWrite.REFUSED, ReplicaWrite.REFUSED)},
            ReplicationStage.RUNNING, new IoRoute[] {
                route(GuestRead.LOCAL, GuestWrite.REPLICATED, ReplicaWrite.REFUSED),
                route(GuestRead.LAYERED, GuestWrite.ACTIVE_OVERLAY, ReplicaWrite.COPY_BEFORE_WRITE)},
            ReplicationStage.FAILOVER, new IoRoute[] {
                route(GuestRead.LOCAL, GuestWrite.LOCAL_RECORDED, ReplicaWrite.REFUSED),
                route(GuestRead.REFUSED, GuestWrite.REFUSED, ReplicaWrite.REFUSED)},
            ReplicationStage.FAILOVER_FAILED, new IoRoute[] {
                route(GuestRead.LOCAL, GuestWrite.LOCAL_RECORDED, ReplicaWrite.REFUSED),
                route(GuestRead.REFUSED, GuestWrite.REFUSED, ReplicaWrite.REFUSED)},
            ReplicationStage.DONE, new IoRoute[] {
                route(GuestRead.LOCAL, GuestWrite.LOCAL_RECORDED, ReplicaWrite.REFUSED),
                route(GuestRead.LOCAL, GuestWrite.LOCAL_RECORDED, ReplicaWrite.REFUSED)}));

    private static IoRoute route(GuestRead read, GuestWrite write, ReplicaWrite replica) {
        return new IoRoute(read, write, replica);
    }

    @Test
    void shouldRouteEveryStageAndRoleAsTheDesignSays() {
        for (ReplicationStage stage : ReplicationStage.values()) {
            assertEquals(EXPECTED.get(stage)[0], IoPolicy.route(stage, Role.PRIMARY), stage + " primary");
            assertEquals(EXPECTED.get(stage)[1], IoPolicy.route(stage, Role.SECONDARY), stage + " secondary");
        }
    }

    @Test
    void shouldTakeThePrimarysWritesOnlyOnARunningSecondary() {
        for (ReplicationStage stage : ReplicationStage.values()) {
            for (Role role : Role.values()) {
                boolean accepts = IoPolicy.route(stage, role).replica() == ReplicaWrite.COPY_BEFORE_WRITE;
                assertEquals(stage == ReplicationStage.RUNNING && role == Role.SECONDARY, accepts, stage + " " + role);
            }
        }
    }

    @Test
    void shouldMoveOnlyAlongTheDesignedTransitionsAndReportEach() {
        List<String> moves = new ArrayList<>();
        StageMachine machine = new StageMachine(ReplicationStage.NONE, (from, to, why) -> moves.add(from + ">" + to));
        assertThrows(IllegalStateException.class, () -> machine.moveTo(ReplicationStage.DONE, "skip"));
        machine.moveTo(ReplicationStage.RUNNING, "start");
        assertFalse(machine.move(ReplicationStage.NONE, ReplicationStage.RUNNING, "stale view"));
        assertTrue(machine.move(ReplicationStage.RUNNING, ReplicationStage.FAILOVER, "failover"));
        assertEquals(List.of("NONE>RUNNING", "RUNNING>FAILOVER"), moves);
    }

    @Test
    void shouldLetExactlyOneOfManyConcurrentFailoversStart() throws Exception {
        StageMachine machine = new StageMachine(ReplicationStage.RUNNING, (from, to, why) -> { });
        AtomicInteger started = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (machine.move(ReplicationStage.RUNNING, ReplicationStage.FAILOVER, "race")) {
                    started.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(1, started.get());
    }
}
