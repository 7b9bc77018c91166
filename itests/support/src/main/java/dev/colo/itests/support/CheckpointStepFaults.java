package dev.colo.itests.support;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * Faults at every step of a checkpoint, on either side, armed through the nodes' fault injection (MXBean
 * {@value #OBJECT_NAME}, on with {@code checkpoint.fault.injection = true}): a failure at each step (the pair goes
 * on and is protected again by itself), a crash at each step (as {@code kill -9} at that exact point: failover or
 * restart follows), and a secondary made stale by a failed checkpoint whose primary dies before the next one (it
 * must not take over with state behind the primary's, by itself or when an operator asks). {@link FaultSuite} checks the invariants after each.
 */
final class CheckpointStepFaults {
    static final String OBJECT_NAME = "dev.colo:type=CheckpointFaults";
    private static final List<String> PRIMARY_STEPS = List.of("REQUEST", "PAUSE", "CAPTURE", "TRANSFER", "RELEASE",
            "LOAD", "RESUME");
    private static final List<String> SECONDARY_STEPS = List.of("REQUEST", "TRANSFER", "LOAD", "RESUME");
    private static final Duration FIRE_TIMEOUT = Duration.ofSeconds(60);
    private static final String CHECKPOINT_CFG = "etc/dev.colo.checkpoint.cfg";

    private final FaultSuite suite;
    private final LocalPair pair;
    private final PrintStream out;
    private boolean enabled;

    CheckpointStepFaults(FaultSuite suite, LocalPair pair, PrintStream out) {
        this.suite = suite;
        this.pair = pair;
        this.out = out;
    }

    void run(int round, ClientLoad load) throws Exception {
        enable();
        for (String step : PRIMARY_STEPS) {
            fail("primary", step, round, load);
        }
        for (String step : SECONDARY_STEPS.subList(0, 3)) { // its RESUME comes after its answer: only a crash there
            fail("secondary", step, round, load);
        }
        staleSecondaryThenPrimaryKilled(round, load);
        for (String step : PRIMARY_STEPS) {
            crash("primary", step, round, load);
        }
        for (String step : SECONDARY_STEPS) {
            crash("secondary", step, round, load);
        }
    }

    /**
     * One fault at a step chosen by {@code variant} of the node in {@code role}: a failure there, or a crash (the
     * nemesis's pick of what {@link #run} goes through in order).
     */
    void one(String role, int variant, boolean crash, int round, ClientLoad load) throws Exception {
        enable();
        boolean primary = "primary".equals(role);
        // the secondary's RESUME comes after its answer: only a crash there
        List<String> steps = primary ? PRIMARY_STEPS : crash ? SECONDARY_STEPS : SECONDARY_STEPS.subList(0, 3);
        String step = steps.get(variant % steps.size());
        if (crash) {
            crash(role, step, round, load);
        } else {
            fail(role, step, round, load);
        }
    }

    /** Fault injection on, on both nodes (their coordinators restart with it), once per pair. */
    private void enable() throws Exception {
        if (enabled) {
            return;
        }
        for (LocalPair.Node node : pair.nodes()) {
            Files.writeString(node.home().resolve(CHECKPOINT_CFG), "checkpoint.fault.injection = true\n");
        }
        long deadline = System.nanoTime() + PairChecks.STATE_TIMEOUT.toNanos();
        for (LocalPair.Node node : pair.nodes()) {
            while (!registered(node)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(node.nodeId() + ": no " + OBJECT_NAME + " within "
                            + PairChecks.STATE_TIMEOUT.toSeconds() + " s of checkpoint.fault.injection = true");
                }
                Thread.sleep(200);
            }
        }
        enabled = true;
        suite.awaitProtected();
    }

    private static boolean registered(LocalPair.Node node) {
        try (NodeMBean faults = NodeMBean.at(node, OBJECT_NAME, "Steps")) {
            return faults.attribute("Steps") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** A FAIL at {@code step} of the node in {@code role}: the checkpoint fails there, the pair protects itself again. */
    private void fail(String role, String step, int round, ClientLoad load) throws Exception {
        LocalPair.Node node = suite.node(role);
        out.printf("[faults] round %d: checkpoint fails at %s on the %s %s%n", round, step, role, node.nodeId());
        fireAndWait(node, step, "FAIL");
        suite.count("checkpoint step failed");
        suite.awaitProtected();
        suite.check(load, "after a checkpoint failed at " + step + " on the " + role + ", round " + round);
    }

    /** A CRASH at {@code step} of the node in {@code role}: the node ends there, as after kill -9 at that point. */
    private void crash(String role, String step, int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        LocalPair.Node node = "primary".equals(role) ? primary : secondary;
        out.printf("[faults] round %d: crash at checkpoint step %s of the %s %s%n", round, step, role, node.nodeId());
        try {
            arm(node, step, "CRASH");
        } catch (IOException crashedBeforeItAnswered) { // a checkpoint may run at once: the node is gone, as asked
            out.printf("[faults] %s ended before it answered the arming (%s)%n", node.nodeId(),
                    crashedBeforeItAnswered.toString());
        }
        if (!node.gone(FIRE_TIMEOUT)) {
            throw new AssertionError(node.nodeId() + " armed to crash at " + step + " still runs after "
                    + FIRE_TIMEOUT.toSeconds() + " s");
        }
        suite.count("checkpoint step crash");
        if (node == primary) {
            suite.failedOver(secondary);
        } else {
            suite.restarted(primary, secondary);
        }
        suite.check(load, "after a crash at " + step + " of the " + role + ", round " + round);
    }

    /**
     * A checkpoint fails at the secondary's LOAD (it had said received: the primary released the epoch's output
     * and now serves on alone), and the primary is killed at once: the secondary, whose state is behind, must not
     * take over. If it had loaded a later checkpoint first, taking over is right; the writes check tells.
     */
    private void staleSecondaryThenPrimaryKilled(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        out.printf("[faults] round %d: checkpoint fails at LOAD on the secondary %s, then kill -9 of the primary %s%n",
                round, secondary.nodeId(), primary.nodeId());
        fireAndWait(secondary, "LOAD", "FAIL");
        LocalPair.kill(primary);
        suite.count("stale secondary, primary killed");
        Thread.sleep(3 * secondary.heartbeatTimeoutMs() + 2_000); // DEAD, and a failover if it were to happen
        String role;
        try (NodeMBean node = NodeMBean.at(secondary, "dev.colo:type=Node", "Role")) {
            role = String.valueOf(node.attribute("Role"));
        }
        if ("primary".equals(role)) {
            out.println("[faults] the secondary took over: it had loaded a later checkpoint before the kill");
            suite.failedOver(secondary);
        } else {
            try (NodeMBean failover = NodeMBean.at(secondary, "dev.colo:type=Failover", "State")) {
                String answer = String.valueOf(failover.invoke("failover"));
                if (!answer.startsWith("refused: this node does not hold the primary's state")
                        || !Boolean.FALSE.equals(failover.attribute("HoldsPrimaryState"))) {
                    throw new AssertionError(secondary.nodeId() + ", stale, took an operator's failover: " + answer);
                }
            }
            out.println("[faults] the stale secondary did not take over, nor when an operator asked; the old primary "
                    + "is restarted");
            pair.restart(primary, Duration.ofSeconds(300));
            suite.awaitProtected();
        }
        suite.check(load, "after a stale secondary lost its primary, round " + round);
    }

    /** Arms {@code action} at {@code step} of {@code node}'s next checkpoint and waits (polling fast) until it fired. */
    private void fireAndWait(LocalPair.Node node, String step, String action) throws Exception {
        try (NodeMBean faults = NodeMBean.at(node, OBJECT_NAME, "Armed")) {
            long fired = (Long) faults.attribute("Fired");
            arm(faults, node, step, action);
            long deadline = System.nanoTime() + FIRE_TIMEOUT.toNanos();
            while ((Long) faults.attribute("Fired") == fired) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(node.nodeId() + ": " + action + " at " + step + " did not fire within "
                            + FIRE_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(5);
            }
        }
    }

    private void arm(LocalPair.Node node, String step, String action) throws IOException {
        try (NodeMBean faults = NodeMBean.at(node, OBJECT_NAME, "Armed")) {
            arm(faults, node, step, action);
        }
    }

    private static void arm(NodeMBean faults, LocalPair.Node node, String step, String action) throws IOException {
        String answer = String.valueOf(faults.invoke("arm", step, action));
        if (!answer.startsWith("armed")) {
            throw new AssertionError(node.nodeId() + ": arm(" + step + ", " + action + "): " + answer);
        }
    }
}
