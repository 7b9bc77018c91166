package dev.colo.itests.support;

import dev.colo.testing.RespClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    /** The disks' {@code forward.timeout.ms} (the default): a primary acknowledges writes alone only after it. */
    private static final long FORWARD_TIMEOUT_MS = 3_000;

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
        cutOffs(round, load);
        switchovers(round, load);
        maintenanceCycle(round, load);
    }

    /** The secondary cut off with fencing none, then with a fencing that succeeds late, then a split brain. */
    void cutOffs(int round, ClientLoad load) throws Exception {
        cutOffWithoutFencing(round, load);
        settled(load, "after the secondary was cut off with fencing none, round " + round);
        cutOffPromotedAfterTheCut(round, load);
        settled(load, "after the secondary, cut off, became the primary after the cut, round " + round);
        splitBrain(round);
        settled(load, "after a split brain resolved keeping the primary, round " + round);
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
        Processes.Result answer = askedUntilProtected("switchover.log", "switchover", "--dir", pair.dir().toString());
        if (answer.exit() != 0 || !answer.output().contains("switched over to " + secondary.nodeId())) {
            throw new AssertionError("bin/colo switchover: " + answer.output().strip());
        }
        awaitRoles(secondary.nodeId(), false);
    }

    /**
     * The secondary cut off (its peer link and replication ports dropped) with fencing none, the default, until both
     * sides could acknowledge alone: it takes over beside a primary that serves on. Healed, the two primaries settle
     * from their data: the one whose disks have writes the other lacks stays. When both acknowledged writes alone (a
     * true split brain) both stop, and the operator keeps the one the clients wrote to, as the manual says.
     */
    void cutOffWithoutFencing(int round, ClientLoad load) throws Exception {
        if (skippedWithoutLinkCut("the secondary cut off")) {
            return;
        }
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        long hold = aloneOnBothSides(secondary);
        out.printf("[faults] round %d: the secondary %s cut off for %d ms with fencing none%n", round,
                secondary.nodeId(), hold);
        try (LinkCut cut = LinkCut.ports(pairPorts(primary, secondary))) {
            suite.count("secondary cut off, fencing none");
            Thread.sleep(hold);
        }
        awaitRoles(primary.nodeId(), true);
    }

    /**
     * How long a cut lasts for both sides to acknowledge writes alone: the secondary takes over after a heartbeat
     * timeout, the primary's disks go on without it after their forward timeout.
     */
    private static long aloneOnBothSides(LocalPair.Node secondary) throws IOException {
        return 3 * secondary.heartbeatTimeoutMs() + FORWARD_TIMEOUT_MS;
    }

    /**
     * The secondary cut off for three heartbeat timeouts, its fencing command succeeding only well after the cut
     * healed ({@code sleep}, standing for a slow power switch that reports success without having cut anything):
     * the primary is heard again while it is fenced, so the failover ends without a second primary, naming why, and
     * the primary that served on stays, protected again.
     */
    void cutOffPromotedAfterTheCut(int round, ClientLoad load) throws Exception {
        if (skippedWithoutLinkCut("the secondary promoted after the cut")) {
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
            String outcome = String.valueOf(failover.attribute("LastFailover"));
            if (!outcome.contains("heard again")) {
                throw new AssertionError("the secondary fenced a primary it heard again, and did not end its "
                        + "failover for it: " + outcome);
            }
            awaitRoles(primary.nodeId(), false);
        });
    }

    /**
     * A split brain made on purpose: the secondary cut off with fencing none takes over, and one write reaches its
     * guest directly while the primary serves the clients alone. Healed, each holds writes the other lacks, and the
     * node(s) stopped at it are resolved keeping the primary the clients wrote to (a stopped other node gives up its
     * data on its own resolution): that write is gone, every write acknowledged to the clients is there.
     */
    void splitBrain(int round) throws Exception {
        if (skippedWithoutLinkCut("a split brain")) {
            return;
        }
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        String key = "splitbrain:" + round;
        out.printf("[faults] round %d: the secondary %s cut off with fencing none, %s written on its guest%n", round,
                secondary.nodeId(), key);
        long hold = aloneOnBothSides(secondary);
        long cutAt = System.nanoTime();
        try (LinkCut cut = LinkCut.ports(pairPorts(primary, secondary))) {
            suite.count("split brain made");
            try (NodeMBean role = NodeMBean.at(secondary, "dev.colo:type=Node", "Role")) {
                role.await("the primary (it was cut off, fencing none)", bean -> "primary".equals(String.valueOf(
                        bean.unchecked("Role"))), PairChecks.STATE_TIMEOUT);
            }
            setOnItsGuest(secondary, key);
            Thread.sleep(Math.max(0, hold - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt)));
        }
        awaitRoles(primary.nodeId(), true);
        try (RespClient client = new RespClient(new InetSocketAddress(pair.service().host(), pair.service().port()))) {
            String reply = client.call("GET", key).strip();
            if (!reply.equals("$-1")) {
                throw new AssertionError(key + ", written on " + secondary.nodeId() + " whose data the operator "
                        + "discarded, is still there: GET " + key + " answered " + reply);
            }
        }
    }

    /** SET {@code key} on {@code node}'s guest itself, retried while the guest restarts as a primary's. */
    private static void setOnItsGuest(LocalPair.Node node, String key) throws Exception {
        long deadline = System.nanoTime() + PairChecks.STATE_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try (RespClient client = new RespClient(new InetSocketAddress("127.0.0.1", node.guestPort()))) {
                last = client.call("SET", key, node.nodeId()).strip();
                if (last.equals("+OK")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString(); // restarting
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node.nodeId() + "'s guest did not take SET " + key + ": " + last);
    }

    /** Whether {@code fault} is skipped, saying why, where links cannot be cut here. */
    private boolean skippedWithoutLinkCut(String fault) {
        Optional<String> why = LinkCut.unavailable();
        why.ifPresent(reason -> out.println("[faults] skipped: " + fault + ": " + reason));
        return why.isPresent();
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

    /**
     * A {@code bin/colo} command that hands the primary role over, asked again as its refusal says when the pair was
     * not protected at that moment (a fault overlapping it, such as a short SIGSTOP of the secondary, makes it
     * SUSPECT for a while): the operator waits for protection and asks again, at most three times.
     */
    private Processes.Result askedUntilProtected(String log, String... arguments) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Processes.Result answer = pair.colo(CLI_TIMEOUT, log, arguments);
            if (attempt == 3 || !answer.output().contains("refused: the pair is not protected")) {
                return answer;
            }
            out.printf("[faults] bin/colo %s refused while the pair was not protected: waiting for protection, asking "
                    + "again%n", String.join(" ", arguments));
            suite.count("hand-over refused while unprotected, asked again");
            suite.awaitProtected();
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
        Processes.Result stop = askedUntilProtected("pair-stop.log", "pair", "stop", "--dir", pair.dir().toString(),
                "--node", node.nodeId());
        if (stop.exit() != 0) {
            throw new AssertionError("bin/colo pair stop --node " + node.nodeId() + ": " + stop.output().strip());
        }
        pair.restart(node, CLI_TIMEOUT);
        awaitRoles(other.nodeId(), false);
        suite.check(load, "after pair stop and restart of the " + role + " " + node.nodeId() + ", round " + round);
    }

    /**
     * Waits until the nodes report one primary and one secondary, records the roles, and waits for protection. With
     * {@code splitBrainAllowed}, a split brain (a node stopped, holding writes the other lacks) is resolved keeping
     * {@code expectedPrimary}, where the clients wrote: the other node, if it stopped, is asked first and gives up
     * its data, then {@code expectedPrimary}, if it stopped, is kept; a null {@code expectedPrimary} takes either.
     */
    private void awaitRoles(String expectedPrimary, boolean splitBrainAllowed) throws Exception {
        long deadline = System.nanoTime() + PairChecks.STATE_TIMEOUT.toNanos();
        while (true) {
            List<String> roles = new ArrayList<>();
            List<String> stopped = new ArrayList<>();
            for (LocalPair.Node node : pair.nodes()) {
                try (NodeMBean role = NodeMBean.at(node, "dev.colo:type=Node", "Role");
                        NodeMBean failover = NodeMBean.at(node, "dev.colo:type=Failover", "State")) {
                    roles.add(String.valueOf(role.attribute("Role")));
                    if (Boolean.TRUE.equals(failover.attribute("SplitBrain"))) {
                        stopped.add(node.nodeId());
                    }
                } catch (IOException e) {
                    roles.add("unreachable"); // a node restarting its components: not reachable for a moment
                }
            }
            boolean splitBrain = !stopped.isEmpty();
            if (splitBrain && splitBrainAllowed) {
                String askedOf = stopped.stream().filter(node -> !node.equals(expectedPrimary)).findFirst()
                        .orElse(expectedPrimary);
                out.printf("[faults] split brain reported by %s: keeping %s, where the clients wrote (asked of %s)%n",
                        stopped, expectedPrimary, askedOf);
                Processes.Result resolve = pair.colo(CLI_TIMEOUT, "resolve.log", "resolve", "--dir",
                        pair.dir().toString(), "--keep", expectedPrimary, "--node", askedOf);
                String answer = askedOf.equals(expectedPrimary) ? "kept " + expectedPrimary : "discarding " + askedOf;
                if (resolve.exit() != 0 || !resolve.output().contains(answer)) {
                    throw new AssertionError("bin/colo resolve --keep " + expectedPrimary + " --node " + askedOf + ": "
                            + resolve.output().strip());
                }
                suite.count(askedOf.equals(expectedPrimary) ? "split brain resolved on the kept node"
                        : "split brain resolved on the discarded node");
                splitBrainAllowed = stopped.size() > 1; // the kept one, asked next
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
