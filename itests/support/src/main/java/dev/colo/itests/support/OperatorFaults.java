package dev.colo.itests.support;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Faults an operator makes, under load (DESIGN §10, invariants 6 to 8): a node's configuration made invalid for a
 * while and then restored, on the secondary and on the primary; the secondary's pair bundle stopped and started again;
 * the secondary cut off with fencing none, then healed; planned switchovers both ways under several writing clients;
 * an operator's failover of the live pair (refused, naming switchover); and a maintenance cycle of the primary
 * ({@code pair stop --node}, {@code pair restart --node}, switch back). {@link FaultSuite} checks the invariants after
 * each: exactly one primary, the pair protected again, every acknowledged write there.
 */
final class OperatorFaults {
    private static final String INVALID_TIMEOUT = "heartbeat.timeout.ms = soon";
    private static final String PAIR_BUNDLE = "dev.colo.pair";
    private static final int SWITCHOVERS = Integer.getInteger("faults.switchovers", 5);
    private static final int SWITCHOVER_CLIENTS = 8;
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration CONSOLE_TIMEOUT = Duration.ofSeconds(60);

    private final FaultSuite suite;
    private final LocalPair pair;
    private final PrintStream out;

    OperatorFaults(FaultSuite suite, LocalPair pair, PrintStream out) {
        this.suite = suite;
        this.pair = pair;
        this.out = out;
    }

    void run(int round, ClientLoad load) throws Exception {
        for (String role : List.of("secondary", "primary")) {
            for (int times : new int[] {2, 8}) {
                invalidConfiguration(role, times, round);
                settled(load, "after the " + role + "'s configuration was invalid for " + times + "x the timeout, round "
                        + round);
            }
        }
        pairBundleStopped(round);
        settled(load, "after the secondary's pair bundle was stopped, round " + round);
        cutOffWithoutFencing(round, load);
        settled(load, "after the secondary was cut off with fencing none, round " + round);
        cutOffPromotedAfterTheCut(round, load);
        settled(load, "after the secondary, cut off, became the primary after the cut, round " + round);
        switchovers(round, load);
        maintenanceCycle(round, load);
    }

    /**
     * An operator mistypes a key of {@code role}'s pair configuration ({@value #INVALID_TIMEOUT}): its components stop
     * (the node logs the key and the value), and after {@code times} heartbeat timeouts the file is restored. A
     * secondary back from that does not hold the primary's state, so it must not take the primary that served on
     * alone for dead and take over.
     */
    void invalidConfiguration(String role, int times, int round) throws Exception {
        LocalPair.Node node = suite.node(role);
        long hold = times * node.heartbeatTimeoutMs();
        out.printf("[faults] round %d: %s %s's configuration invalid (%s) for %d ms%n", round, role, node.nodeId(),
                INVALID_TIMEOUT, hold);
        Path cfg = node.pairCfg();
        String before = Files.readString(cfg);
        String invalid = before.matches("(?s).*(?m:^heartbeat\\.timeout\\.ms\\s*=).*")
                ? before.replaceAll("(?m)^heartbeat\\.timeout\\.ms\\s*=.*$", INVALID_TIMEOUT)
                : before + "\n" + INVALID_TIMEOUT + "\n";
        Files.writeString(cfg, invalid);
        suite.count("configuration invalid (" + role + ", " + times + "x timeout)");
        try {
            Thread.sleep(hold);
        } finally {
            Files.writeString(cfg, before); // the node cannot change its role (the file) while it is invalid
        }
    }

    /** {@code bundle:stop dev.colo.pair} on the secondary for three heartbeat timeouts, then {@code bundle:start}. */
    private void pairBundleStopped(int round) throws Exception {
        LocalPair.Node secondary = suite.node("secondary");
        bundleStopped(round, "secondary", PAIR_BUNDLE, 3 * secondary.heartbeatTimeoutMs());
        suite.count("pair bundle stopped (secondary)");
    }

    /** {@code bundle:stop BUNDLE} on the node in {@code role} for {@code hold} ms, then {@code bundle:start}. */
    void bundleStopped(int round, String role, String bundle, long hold) throws Exception {
        LocalPair.Node node = suite.node(role);
        out.printf("[faults] round %d: bundle:stop %s on the %s %s for %d ms%n", round, bundle, role, node.nodeId(),
                hold);
        console(node, "bundle:stop " + bundle);
        try {
            Thread.sleep(hold);
        } finally {
            console(node, "bundle:start " + bundle);
        }
    }

    /** {@code bundle:update BUNDLE} on the node in {@code role}: the same jar installed again, as a hot swap. */
    void bundleUpdated(int round, String role, String bundle) throws Exception {
        LocalPair.Node node = suite.node(role);
        out.printf("[faults] round %d: bundle:update %s on the %s %s%n", round, bundle, role, node.nodeId());
        console(node, "bundle:update " + bundle);
    }

    /** One {@code bin/colo switchover}: the secondary must be the primary afterwards, the pair protected again. */
    void switchover(int round) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        out.printf("[faults] round %d: switchover from %s to %s%n", round, primary.nodeId(), secondary.nodeId());
        Processes.Result answer = pair.colo(CLI_TIMEOUT, "switchover.log", "switchover", "--dir", pair.dir().toString());
        if (answer.exit() != 0 || !answer.output().contains("switched over to " + secondary.nodeId())) {
            throw new AssertionError("bin/colo switchover: " + answer.output().strip());
        }
        awaitRoles(secondary.nodeId(), false);
    }

    /**
     * The secondary cut off (its peer link and replication ports dropped) for three heartbeat timeouts with fencing
     * none, the default: it takes over beside a primary that serves on. Healed, the two primaries settle from their
     * data: the one whose disks have writes the other lacks stays. When both acknowledged writes alone (a true split
     * brain) both stop, and the operator keeps the one the clients wrote to, as the manual says.
     */
    void cutOffWithoutFencing(int round, ClientLoad load) throws Exception {
        Optional<String> why = LinkCut.unavailable();
        if (why.isPresent()) {
            out.println("[faults] skipped: the secondary cut off: " + why.get());
            return;
        }
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        long hold = 3 * secondary.heartbeatTimeoutMs();
        out.printf("[faults] round %d: the secondary %s cut off for %d ms with fencing none%n", round,
                secondary.nodeId(), hold);
        try (LinkCut cut = LinkCut.ports(pairPorts(primary, secondary))) {
            suite.count("secondary cut off, fencing none");
            Thread.sleep(hold);
        }
        awaitRoles(primary.nodeId(), true);
    }

    /**
     * The secondary cut off for three heartbeat timeouts, its fencing command succeeding only well after the cut
     * healed ({@code sleep}, standing for a slow power switch that reports success without having cut anything):
     * it becomes the primary when the link is back and the primary's claim has already come and gone. The two
     * primaries must still settle from their data (the one the clients wrote to stays), as after a cut-off with
     * fencing none.
     */
    void cutOffPromotedAfterTheCut(int round, ClientLoad load) throws Exception {
        Optional<String> why = LinkCut.unavailable();
        if (why.isPresent()) {
            out.println("[faults] skipped: the secondary promoted after the cut: " + why.get());
            return;
        }
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        long hold = 3 * secondary.heartbeatTimeoutMs();
        long fencing = 2 * hold + 2_000;
        out.printf("[faults] round %d: the secondary %s cut off for %d ms, its fencing succeeding after %d ms%n",
                round, secondary.nodeId(), hold, fencing);
        suite.withFencing(secondary, "sleep " + fencing / 1000.0 + "; exit 0", failover -> {
            Object before = failover.attribute("LastFailover");
            try (LinkCut cut = LinkCut.ports(pairPorts(primary, secondary))) {
                suite.count("secondary promoted after the cut");
                Thread.sleep(hold);
            }
            failover.await("through a failover after its fencing", bean -> !before.equals(bean.unchecked(
                    "LastFailover")) && List.of("COMPLETED", "FAILED").contains(String.valueOf(bean.unchecked("State"))),
                    PairChecks.STATE_TIMEOUT);
            awaitRoles(primary.nodeId(), true);
        });
    }

    private static int[] pairPorts(LocalPair.Node primary, LocalPair.Node secondary) {
        return Stream.of(primary, secondary).flatMapToInt(node -> IntStream.concat(IntStream.of(node.peerLinkPort()),
                node.disks().stream().mapToInt(LocalPair.Disk::replicationPort))).toArray();
    }

    /**
     * {@value #SWITCHOVERS} planned switchovers each way under {@value #SWITCHOVER_CLIENTS} writing clients, each
     * followed by an operator's failover of the live pair, which must be refused naming switchover and change nothing.
     */
    void switchovers(int round, ClientLoad load) throws Exception {
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        List<ClientLoad> clients = new ArrayList<>();
        try {
            for (int i = 0; i < SWITCHOVER_CLIENTS - 1; i++) {
                clients.add(new ClientLoad(service, "switchover" + round + "c" + i));
            }
            clients.add(load);
            for (int i = 0; i < 2 * SWITCHOVERS; i++) {
                out.printf("[faults] round %d: switchover %d of %d under %d clients%n", round, i + 1, 2 * SWITCHOVERS,
                        clients.size());
                switchover(round);
                suite.count("switchover");
                for (ClientLoad client : clients) {
                    suite.check(client, "after switchover " + (i + 1) + " of round " + round);
                }
                liveFailoverRefused(round);
            }
        } finally {
            clients.remove(load);
            for (ClientLoad client : clients) {
                client.close();
            }
        }
    }

    /** {@code bin/colo failover} of a live pair: refused, naming switchover; still one primary, the same one. */
    void liveFailoverRefused(int round) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        Processes.Result answer = pair.colo(CLI_TIMEOUT, "failover.log", "failover", "--dir", pair.dir().toString());
        if (!answer.output().contains("refused: the primary is alive: use switchover")) {
            throw new AssertionError("bin/colo failover of a live pair was not refused: " + answer.output().strip());
        }
        suite.count("failover of a live pair (refused)");
        pair.refreshRoles();
        if (!suite.node("primary").nodeId().equals(primary.nodeId())) {
            throw new AssertionError("a refused failover moved the primary from " + primary.nodeId());
        }
    }

    /**
     * Maintenance of the primary: {@code pair stop --node} (it switches over first), {@code pair restart --node} (it
     * comes back as the secondary and is re-protected), then a switchover back.
     */
    private void maintenanceCycle(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        out.printf("[faults] round %d: maintenance of the primary %s (pair stop, pair restart, switch back)%n", round,
                primary.nodeId());
        stopAndRestart("primary", round, load);
        suite.count("maintenance cycle");
        Processes.Result back = pair.colo(CLI_TIMEOUT, "switchover.log", "switchover", "--dir", pair.dir().toString());
        if (!back.output().contains("switched over to " + primary.nodeId())) {
            throw new AssertionError("bin/colo switchover back: " + back.output().strip());
        }
        awaitRoles(primary.nodeId(), false);
        suite.check(load, "after switching back to " + primary.nodeId() + ", round " + round);
    }

    /**
     * {@code bin/colo pair stop --node} of the node in {@code role} (a primary switches over first), then {@code pair
     * restart --node}: the other node is the primary afterwards if this one was, and nothing acknowledged is lost.
     */
    void stopAndRestart(String role, int round, ClientLoad load) throws Exception {
        LocalPair.Node node = suite.node(role);
        LocalPair.Node other = suite.node("primary".equals(role) ? "secondary" : "primary");
        Processes.Result stop = pair.colo(CLI_TIMEOUT, "pair-stop.log", "pair", "stop", "--dir",
                pair.dir().toString(), "--node", node.nodeId());
        if (stop.exit() != 0) {
            throw new AssertionError("bin/colo pair stop --node " + node.nodeId() + ": " + stop.output().strip());
        }
        pair.restart(node, CLI_TIMEOUT);
        awaitRoles(other.nodeId(), false);
        suite.check(load, "after pair stop and restart of the " + role + " " + node.nodeId() + ", round " + round);
    }

    /**
     * Waits until the nodes report one primary and one secondary, records the roles, and waits for protection. With
     * {@code splitBrainAllowed}, a split brain (both stopped, each with writes the other lacks) is resolved keeping
     * {@code expectedPrimary}, where the clients wrote; a null {@code expectedPrimary} takes either.
     */
    private void awaitRoles(String expectedPrimary, boolean splitBrainAllowed) throws Exception {
        long deadline = System.nanoTime() + PairChecks.STATE_TIMEOUT.toNanos();
        while (true) {
            List<String> roles = new ArrayList<>();
            boolean splitBrain = false;
            for (LocalPair.Node node : pair.nodes()) {
                try (NodeMBean role = NodeMBean.at(node, "dev.colo:type=Node", "Role");
                        NodeMBean failover = NodeMBean.at(node, "dev.colo:type=Failover", "State")) {
                    roles.add(String.valueOf(role.attribute("Role")));
                    splitBrain |= Boolean.TRUE.equals(failover.attribute("SplitBrain"));
                } catch (IOException e) {
                    roles.add("unreachable"); // a node restarting its components: not reachable for a moment
                }
            }
            if (splitBrain && splitBrainAllowed) {
                out.printf("[faults] split brain reported: keeping %s, where the clients wrote%n", expectedPrimary);
                Processes.Result resolve = pair.colo(CLI_TIMEOUT, "resolve.log", "resolve", "--dir",
                        pair.dir().toString(), "--keep", expectedPrimary);
                if (resolve.exit() != 0) {
                    throw new AssertionError("bin/colo resolve --keep " + expectedPrimary + ": "
                            + resolve.output().strip());
                }
                suite.count("split brain resolved by the operator");
                splitBrainAllowed = false;
            } else if (roles.stream().filter("primary"::equals).count() == 1
                    && roles.stream().filter("secondary"::equals).count() == 1) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("roles did not settle to one primary and one secondary: " + roles
                        + (splitBrain ? " (split brain)" : ""));
            }
            Thread.sleep(200);
        }
        pair.refreshRoles();
        String primary = suite.node("primary").nodeId();
        if (expectedPrimary != null && !primary.equals(expectedPrimary)) {
            throw new AssertionError("the primary is " + primary + ", expected " + expectedPrimary);
        }
        suite.awaitProtected();
    }

    /** After a fault that may have moved the primary: one primary and one secondary, protected, every write there. */
    void settled(ClientLoad load, String when) throws Exception {
        try {
            awaitRoles(null, false);
        } catch (AssertionError e) {
            throw new AssertionError(when + ": " + e.getMessage(), e);
        }
        suite.check(load, when);
    }

    private void console(LocalPair.Node node, String command) throws Exception {
        Processes.Result result = pair.console(node, command, CONSOLE_TIMEOUT);
        if (result.exit() != 0) {
            throw new AssertionError(node.nodeId() + ": " + command + " exited " + result.exit() + ": "
                    + result.output().strip());
        }
    }
}
