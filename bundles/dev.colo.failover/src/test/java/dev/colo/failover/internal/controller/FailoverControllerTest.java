package dev.colo.failover.internal.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.failover.FailoverState;
import dev.colo.api.management.FailoverProgress;
import dev.colo.api.replication.CopyProgress;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.failover.internal.config.FailoverSettings;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailoverControllerTest {
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final List<String> actions = new CopyOnWriteArrayList<>();
    private volatile Role role = Role.SECONDARY;
    private volatile ReplicationStage commitEnds = ReplicationStage.DONE;
    private volatile int fencingExit;
    private volatile CountDownLatch fencingGate = new CountDownLatch(0);
    private FailoverController controller;

    private FailoverController controller(Map<String, String> config) {
        FailoverSettings settings = FailoverSettings.parse(config);
        controller = new FailoverController(settings, new FailoverController.Node() {
            @Override
            public Role role() {
                return role;
            }

            @Override
            public List<ProtectedDisk> disks() {
                return List.of(disk("disk0"), disk("disk1"));
            }

            @Override
            public void becomePrimary() {
                actions.add("role primary");
                role = Role.PRIMARY;
            }
        }, (command, timeout) -> {
            actions.add("$ " + command);
            fencingGate.await();
            return command.startsWith("fence") ? fencingExit : 0;
        }, (previous, current, elapsed, reason) -> transitions.add(previous + "->" + current));
        return controller;
    }

    private ProtectedDisk disk(String name) {
        return (ProtectedDisk) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ProtectedDisk.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "failover" -> {
                        actions.add("commit " + name);
                        yield CompletableFuture.completedFuture(commitEnds);
                    }
                    case "error" -> Optional.of("No space left on device");
                    case "commit" -> name.equals("disk0") ? new CopyProgress(1000, 250, 50) : new CopyProgress(3000, 0, 150);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @AfterEach
    void close() {
        controller.close();
    }

    private void awaitEnd() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (controller.state() != FailoverState.COMPLETED && controller.state() != FailoverState.FAILED
                && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    @Test
    void withoutFencingTheDisksCommitThenTheNodeBecomesPrimaryThenTheTakeoverRuns() throws Exception {
        controller(Map.of(FailoverSettings.TAKEOVER_COMMAND, "ip addr add 192.0.2.10/24 dev eth0"));
        assertEquals("requested", controller.request("the primary is DEAD"));
        awaitEnd();
        assertEquals(List.of("NONE->REQUESTED", "REQUESTED->ACTIVE", "ACTIVE->COMPLETED"), transitions);
        assertEquals(List.of("commit disk0", "commit disk1", "role primary", "$ ip addr add 192.0.2.10/24 dev eth0"),
                actions);
        assertEquals("COMPLETED", controller.last().outcome());
        assertTrue(controller.request("again").startsWith("refused: this node is the primary"));
    }

    @Test
    void aFencingCommandThatFailsKeepsTheNodeSecondaryAndTouchesNothing() throws Exception {
        fencingExit = 1;
        controller(Map.of(FailoverSettings.FENCING, "command", FailoverSettings.FENCING_COMMAND, "fence-primary.sh"));
        controller.request("the primary is DEAD");
        awaitEnd();
        assertEquals(List.of("NONE->REQUESTED", "REQUESTED->FAILED"), transitions);
        assertEquals(List.of("$ fence-primary.sh"), actions, "no disk committed, the role unchanged");
        assertTrue(controller.last().detail().contains("exited 1"), controller.last().detail());
        assertEquals(Role.SECONDARY, role);
        fencingExit = 0;
        assertEquals("requested", controller.request("an operator asked"), "a failed failover may be asked again");
        awaitEnd();
        assertEquals(Role.PRIMARY, role);
    }

    @Test
    void aPrimaryHeardAgainWhileItIsFencedIsNotTakenOver() throws Exception {
        fencingGate = new CountDownLatch(1); // a slow power switch that reports success after the link healed
        controller(Map.of(FailoverSettings.FENCING, "command", FailoverSettings.FENCING_COMMAND, "fence-primary.sh"));
        controller.peerHeard(); // before the request: the death that follows is what counts
        assertEquals("requested", controller.request("the primary is DEAD"));
        controller.peerHeard();
        fencingGate.countDown();
        awaitEnd();
        assertEquals(List.of("NONE->REQUESTED", "REQUESTED->FAILED"), transitions);
        assertEquals(List.of("$ fence-primary.sh"), actions, "no disk committed, the role unchanged");
        assertTrue(controller.last().detail().contains("heard again"), controller.last().detail());
        assertEquals(Role.SECONDARY, role);

        assertEquals("requested", controller.request("the primary is DEAD"), "the next detection asks again");
        awaitEnd();
        assertEquals(Role.PRIMARY, role, "a primary not heard while it was fenced is taken over");
    }

    @Test
    void anOperatorsForcedFailoverTakesOverEvenIfThePrimaryIsHeardWhileItIsFenced() throws Exception {
        fencingGate = new CountDownLatch(1);
        controller(Map.of(FailoverSettings.FENCING, "command", FailoverSettings.FENCING_COMMAND, "fence-primary.sh"));
        assertEquals("requested", controller.requestForced("an operator forced it"));
        controller.peerHeard();
        fencingGate.countDown();
        awaitEnd();
        assertEquals("COMPLETED", controller.last().outcome(), controller.last().detail());
        assertEquals(Role.PRIMARY, role);
    }

    @Test
    void aSwitchoverDoesNotFenceTheOldPrimaryThatSteppedDown() throws Exception {
        fencingExit = 1; // a fencing command would act on a live node that is demoting itself
        controller(Map.of(FailoverSettings.FENCING, "command", FailoverSettings.FENCING_COMMAND, "fence-primary.sh"));
        assertEquals("requested", controller.requestSwitchover("switchover from colo-a at epoch 12"));
        awaitEnd();
        assertEquals("COMPLETED", controller.last().outcome(), controller.last().detail());
        assertTrue(actions.stream().noneMatch(action -> action.contains("fence")), actions.toString());
        assertEquals(Role.PRIMARY, role);
    }

    @Test
    void aDiskThatCannotCommitFailsTheFailover() throws Exception {
        commitEnds = ReplicationStage.FAILOVER_FAILED;
        controller(Map.of());
        controller.request("the primary is DEAD");
        awaitEnd();
        assertEquals(FailoverState.FAILED, controller.state());
        assertTrue(controller.last().detail().contains("disk0") && controller.last().detail().contains("No space"),
                controller.last().detail());
        assertFalse(actions.contains("role primary"));
    }

    @Test
    void progressShowsTheStepWhileItRunsAndTheDisksCommitSummed() throws Exception {
        fencingGate = new CountDownLatch(1);
        controller(Map.of(FailoverSettings.FENCING, "command", FailoverSettings.FENCING_COMMAND, "fence"));
        assertEquals(new FailoverProgress("NONE", "", 93, 1, 250, 0), controller.progress());

        controller.request("operator");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!controller.progress().step().equals("fencing") && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        FailoverProgress fencing = controller.progress();
        assertEquals(List.of("REQUESTED", "fencing"), List.of(fencing.state(), fencing.step()));
        fencingGate.countDown();
        awaitEnd();

        FailoverProgress done = controller.progress();
        assertEquals(List.of("COMPLETED", ""), List.of(done.state(), done.step()));
        assertEquals(controller.last().durationMillis(), done.elapsedMillis());
    }

    @Test
    void ofManyRacingRequestsExactlyOneIsTakenTheOthersAreRefusedAsAlreadyActive() throws Exception {
        fencingGate = new CountDownLatch(1);
        controller(Map.of(FailoverSettings.FENCING, "command", FailoverSettings.FENCING_COMMAND, "fence"));
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            outcomes.add(threads.submit(() -> {
                start.await();
                return controller.request("racer");
            }));
        }
        start.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            results.add(outcome.get(10, TimeUnit.SECONDS));
        }
        fencingGate.countDown();
        threads.shutdown();
        assertEquals(1, results.stream().filter("requested"::equals).count(), results.toString());
        assertEquals(15, results.stream().filter(r -> r.contains("already active")).count(), results.toString());
        awaitEnd();
        assertEquals(1, actions.stream().filter(a -> a.equals("role primary")).count());
    }

    @Test
    void thePrimaryRefusesAFailover() {
        role = Role.PRIMARY;
        controller(Map.of());
        assertTrue(controller.request("operator").contains("this node is the primary"));
        assertEquals(List.of(), transitions);
    }

    @Test
    void theShellRunsCommandsAndKillsThoseThatTakeTooLong() throws Exception {
        controller(Map.of());
        ShellCommand shell = new ShellCommand();
        assertEquals(3, shell.run("exit 3", Duration.ofSeconds(10)));
        assertEquals(0, shell.run("true", Duration.ofSeconds(10)));
        assertEquals(-1, shell.run("sleep 30", Duration.ofMillis(200)));
    }
}
