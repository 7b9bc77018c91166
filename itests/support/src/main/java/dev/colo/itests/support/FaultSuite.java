package dev.colo.itests.support;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Faults against a pair under a steady client load, round after round, each fault followed by the invariants of
 * DESIGN §10: the pair protected again, exactly one primary, every acknowledged write there; and at the end of each
 * round, the disks identical after a checkpoint. A round is: kill -9 of the primary (failover, then
 * re-protection), kill -9 of the secondary (restart), the secondary frozen longer than the heartbeat timeout (no
 * second primary when it thaws), the peer link cut while the secondary's fencing fails (no second primary), an
 * outage of the MQTT broker, a failure and a crash at every step of a checkpoint on either side
 * ({@link CheckpointStepFaults}), an operator's faults: configuration errors, a stopped bundle, switchovers, a
 * maintenance cycle and the secondary cut off with fencing none ({@link OperatorFaults}), and a full file system on
 * either side ({@link DiskFullFaults}). Across network
 * namespaces ({@code pair up --netns}) the link is also taken down (the veth) and slowed ({@code tc netem}).
 * Faults this machine cannot make (no nftables, no netem, no tmpfs) are skipped with the reason.
 */
public final class FaultSuite {
    private static final Duration STATE_TIMEOUT = PairChecks.STATE_TIMEOUT;
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(300);
    private static final String FAILOVER_CFG = "etc/dev.colo.failover.cfg";
    private static final int LINK_DELAY_MS = 20;
    private static final Duration LINK_DELAY_HOLD = Duration.ofSeconds(10);
    /** Clients of the load, each on its own connection: the guest commits their writes in groups. */
    static final int WRITERS = 16;

    /** What a run did and found. */
    public record Summary(int rounds, Map<String, Integer> faults, long writesChecked, List<String> lost,
                          List<String> skipped) {
        public int faultCount() {
            return faults.values().stream().mapToInt(Integer::intValue).sum();
        }

        public String report() {
            return "rounds " + rounds + ", faults " + faultCount() + " " + faults + ", writes checked " + writesChecked
                    + ", writes lost " + lost.size() + (skipped.isEmpty() ? "" : ", skipped " + skipped);
        }
    }

    private final LocalPair pair;
    private final PrintStream out;
    private final Map<String, Integer> faults = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();

    private final CheckpointStepFaults checkpointSteps;
    private final OperatorFaults operatorFaults;
    private final GuestFaults guestFaults;
    private boolean withCheckpointSteps = true;
    private boolean withDiskFull = true;
    private boolean withGuestFaults = true;
    /** On unless {@code -Dfaults.operator=false} (to repeat the other faults faster while working on them). */
    private boolean withOperatorFaults = !"false".equals(System.getProperty("faults.operator"));
    /**
     * {@code -Dfaults.only=guest}, {@code switchover} or {@code cutoff}: the guest's faults, the switchovers or the
     * secondary cut off (fencing none, then late) alone (to repeat them faster while working on them).
     */
    private final String only = System.getProperty("faults.only", "");

    public FaultSuite(LocalPair pair, PrintStream out) {
        this.pair = pair;
        this.out = out;
        this.checkpointSteps = new CheckpointStepFaults(this, pair, out);
        this.operatorFaults = new OperatorFaults(this, pair, out);
        this.guestFaults = new GuestFaults(this, pair, out);
    }

    /** Leaves out the full file systems (they do not depend on the network either). */
    public FaultSuite withoutDiskFull() {
        withDiskFull = false;
        return this;
    }

    /** Leaves out the faults at checkpoint steps (they do not depend on the network: a two-host run need not repeat them). */
    public FaultSuite withoutCheckpointSteps() {
        withCheckpointSteps = false;
        return this;
    }

    /** Leaves out the guest's faults (they do not depend on the network: a two-host run need not repeat them). */
    public FaultSuite withoutGuestFaults() {
        withGuestFaults = false;
        return this;
    }

    /** Leaves out the operator's faults (a two-host run need not repeat them). */
    public FaultSuite withoutOperatorFaults() {
        withOperatorFaults = false;
        return this;
    }

    /** Runs {@code rounds} rounds of every fault, checking the invariants after each. */
    public Summary run(int rounds) throws Exception {
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        List<String> lost = new ArrayList<>();
        long checked;
        try (ClientLoad load = new ClientLoad(service, "fault", WRITERS);
                DiskFullFaults diskFull = new DiskFullFaults(this, pair, out)) {
            Optional<String> noDiskFull = withDiskFull ? diskFull.unavailable() : Optional.empty();
            noDiskFull.ifPresent(why -> skip("full file systems: " + why));
            awaitProtected();
            for (int round = 1; round <= rounds; round++) {
                if (only.equals("guest")) {
                    guestFaults.run(round, load);
                    continue;
                }
                if (only.equals("switchover")) {
                    operatorFaults.switchovers(round, load);
                    continue;
                }
                if (only.equals("cutoff")) {
                    operatorFaults.cutOffs(round, load);
                    continue;
                }
                killPrimary(round);
                check(load, "after kill -9 of the primary, round " + round);
                killSecondary(round);
                check(load, "after kill -9 of the secondary, round " + round);
                freezeSecondary(round);
                check(load, "after the secondary was frozen, round " + round);
                cutLink(round, "peer link cut (nftables)", this::dropLinkTraffic);
                check(load, "after the link cut, round " + round);
                if (node("primary").host().inNamespace()) {
                    cutLink(round, "pair link down (veth)", this::linkDown);
                    check(load, "after the pair link was down, round " + round);
                    delayLink(round);
                    check(load, "after the pair link was slow, round " + round);
                }
                brokerOutage(round);
                check(load, "after the broker outage, round " + round);
                if (withOperatorFaults) {
                    operatorFaults.run(round, load);
                }
                if (withGuestFaults) {
                    guestFaults.run(round, load);
                }
                if (withCheckpointSteps) {
                    checkpointSteps.run(round, load);
                }
                if (withDiskFull && noDiskFull.isEmpty()) {
                    diskFull.run(round, load);
                }
                PairChecks.disksIdentical(pair, load, "end of round " + round);
            }
            load.pause();
            lost.addAll(load.lost());
            checked = load.acknowledgedCount();
        }
        Summary summary = new Summary(rounds, Map.copyOf(faults), checked, lost, List.copyOf(skipped));
        out.println("[faults] " + summary.report());
        return summary;
    }

    void killPrimary(int round) throws Exception {
        LocalPair.Node primary = node("primary");
        LocalPair.Node secondary = node("secondary");
        out.printf("[faults] round %d: kill -9 of the primary %s%n", round, primary.nodeId());
        LocalPair.kill(primary);
        count("kill -9 primary");
        failedOver(secondary);
    }

    /** After the primary died: {@code secondary} takes over, and the dead node is re-protected as its secondary. */
    void failedOver(LocalPair.Node secondary) throws Exception {
        try (NodeMBean node = NodeMBean.at(secondary, "dev.colo:type=Node", "Role")) {
            node.await("the new primary", bean -> "primary".equals(bean.unchecked("Role")), STATE_TIMEOUT);
        }
        pair.reprotect(CLI_TIMEOUT);
        awaitProtected();
    }

    void killSecondary(int round) throws Exception {
        LocalPair.Node primary = node("primary");
        LocalPair.Node secondary = node("secondary");
        out.printf("[faults] round %d: kill -9 of the secondary %s%n", round, secondary.nodeId());
        LocalPair.kill(secondary);
        count("kill -9 secondary");
        restarted(primary, secondary);
    }

    /** After the secondary died: the primary finds it DEAD and serves on; the secondary is restarted. */
    void restarted(LocalPair.Node primary, LocalPair.Node secondary) throws Exception {
        try (NodeMBean node = NodeMBean.at(primary, "dev.colo:type=Node", "PeerHealth")) {
            node.await("the secondary DEAD", bean -> "DEAD".equals(bean.unchecked("PeerHealth")), STATE_TIMEOUT);
        }
        pair.restart(secondary, CLI_TIMEOUT);
        awaitProtected();
    }

    /**
     * The secondary frozen (SIGSTOP) for longer than the heartbeat timeout, as a long GC pause or a stalled VM would:
     * the primary serves on alone; thawed, the secondary must not take the primary it was cut from for dead and take
     * over (its own silence is not the primary's), and the pair is protected again.
     */
    private void freezeSecondary(int round) throws Exception {
        freezeSecondary(round, 2 * node("secondary").heartbeatTimeoutMs());
    }

    void freezeSecondary(int round, long frozenMillis) throws Exception {
        LocalPair.Node secondary = node("secondary");
        out.printf("[faults] round %d: the secondary %s frozen for %d ms%n", round, secondary.nodeId(), frozenMillis);
        LocalPair.signal(secondary.pid(), "STOP");
        count("secondary frozen");
        try {
            Thread.sleep(frozenMillis);
        } finally {
            LocalPair.signal(secondary.pid(), "CONT");
        }
        awaitProtected();
    }

    /** A way to part the nodes; closing it heals the link. */
    @FunctionalInterface
    interface Cut {
        AutoCloseable make(LocalPair.Node primary, LocalPair.Node secondary) throws IOException;
    }

    /**
     * The link between the nodes cut by {@code cut}, with the secondary's fencing failing: the primary serves on
     * alone, nobody else takes over; healed, the pair is protected again.
     */
    void cutLink(int round, String fault, Cut cut) throws Exception {
        Optional<String> why = LinkCut.unavailable();
        if (why.isPresent()) {
            skip("link cut: " + why.get());
            return;
        }
        LocalPair.Node primary = node("primary");
        LocalPair.Node secondary = node("secondary");
        out.printf("[faults] round %d: %s between %s and %s%n", round, fault, primary.nodeId(), secondary.nodeId());
        withFailingFencing(secondary, failover -> {
            try (AutoCloseable parted = cut.make(primary, secondary)) {
                count(fault);
                failover.await("refused by its fencing", bean -> "FAILED".equals(bean.unchecked("State")),
                        STATE_TIMEOUT);
            }
        });
        awaitProtected();
    }

    /** What runs while the secondary's fencing fails; it gets the secondary's Failover MXBean. */
    @FunctionalInterface
    interface Fenced {
        void run(NodeMBean failover) throws Exception;
    }

    /**
     * Runs {@code fenced} while the secondary's fencing command fails (as when it cannot reach the power switch), so
     * that a secondary that loses the primary must stay secondary; its configuration is restored afterwards.
     */
    void withFailingFencing(LocalPair.Node secondary, Fenced fenced) throws Exception {
        withFencing(secondary, "echo cannot reach the power switch; exit 1", fenced);
    }

    /**
     * Runs {@code fenced} while the secondary's fencing is {@code command} (given a minute); its configuration is
     * restored afterwards.
     */
    void withFencing(LocalPair.Node secondary, String command, Fenced fenced) throws Exception {
        Path cfg = secondary.home().resolve(FAILOVER_CFG);
        String before = Files.exists(cfg) ? Files.readString(cfg) : null; // e.g. a takeover command of pair up
        Files.writeString(cfg, (before == null ? "" : before) + "fencing = command\nfencing.command = " + command
                + "\nfencing.timeout.ms = 60000\n");
        try (NodeMBean failover = NodeMBean.at(secondary, "dev.colo:type=Failover", "State")) {
            failover.await("fencing by command", bean -> "command".equals(bean.unchecked("Fencing")), STATE_TIMEOUT);
            fenced.run(failover);
        } finally {
            if (before == null) {
                Files.delete(cfg);
            } else {
                Files.writeString(cfg, before);
            }
        }
        try (NodeMBean failover = NodeMBean.at(secondary, "dev.colo:type=Failover", "State")) {
            failover.await("fencing none again", bean -> "none".equals(bean.unchecked("Fencing")), STATE_TIMEOUT);
        }
    }

    /** nftables drops the pair's traffic: its ports on one host, the primary's end of the pair link across two. */
    AutoCloseable dropLinkTraffic(LocalPair.Node primary, LocalPair.Node secondary) throws IOException {
        if (primary.host().inNamespace()) {
            return LinkCut.device(primary.host().netns(), primary.host().linkDevice());
        }
        int[] ports = Stream.of(primary, secondary).flatMapToInt(node -> IntStream.concat(
                IntStream.of(node.peerLinkPort()), node.disks().stream().mapToInt(LocalPair.Disk::replicationPort)))
                .toArray();
        return LinkCut.ports(ports);
    }

    /** The primary's end of the pair link taken down ({@code ip link set DEV down}), as a cable pulled out. */
    private AutoCloseable linkDown(LocalPair.Node primary, LocalPair.Node secondary) throws IOException {
        LocalPair.Host host = primary.host();
        Processes.require(List.of("ip", "-n", host.netns(), "link", "set", host.linkDevice(), "down"));
        return () -> Processes.require(List.of("ip", "-n", host.netns(), "link", "set", host.linkDevice(), "up"));
    }

    /**
     * The pair link slowed down ({@code tc netem}, {@value #LINK_DELAY_MS} ms each way) for a while: slower, not
     * broken, so nobody takes over and the pair is protected afterwards. Skipped, saying so, where the kernel has
     * no netem.
     */
    private void delayLink(int round) throws Exception {
        LocalPair.Host host = node("primary").host();
        List<String> tc = List.of("ip", "netns", "exec", host.netns(), "tc", "qdisc");
        try {
            Processes.require(concat(tc, "add", "dev", host.linkDevice(), "root", "netem", "delay",
                    LINK_DELAY_MS + "ms"));
        } catch (IOException e) {
            skip("pair link delay: this kernel has no tc netem (" + e.getMessage() + ")");
            return;
        }
        out.printf("[faults] round %d: pair link delayed by %d ms each way%n", round, LINK_DELAY_MS);
        count("pair link delayed (netem)");
        try {
            Thread.sleep(LINK_DELAY_HOLD.toMillis());
        } finally {
            Processes.require(concat(tc, "del", "dev", host.linkDevice(), "root"));
        }
        awaitProtected();
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** The embedded broker frozen for a while (SIGSTOP), then thawed: the nodes' events reach it afterwards. */
    void brokerOutage(int round) throws Exception {
        long broker = pair.brokerPid();
        if (broker <= 0) {
            skip("broker outage: the pair has no embedded broker");
            return;
        }
        out.printf("[faults] round %d: MQTT broker frozen (pid %d)%n", round, broker);
        LocalPair.signal(broker, "STOP");
        count("broker outage");
        try {
            checkpointNow(node("primary")); // events the broker cannot take now
            Thread.sleep(3_000);
        } finally {
            LocalPair.signal(broker, "CONT");
        }
        for (LocalPair.Node node : pair.nodes()) {
            try (NodeMBean mqtt = NodeMBean.at(node, "dev.colo:type=Mqtt", "ConnectionState")) {
                mqtt.await("its MQTT backlog delivered", bean -> "CONNECTED".equals(bean.unchecked("ConnectionState"))
                        && (Long) bean.unchecked("BacklogEvents") == 0, STATE_TIMEOUT);
            }
        }
    }

    void check(ClientLoad load, String when) throws Exception {
        PairChecks.check(pair, load, when);
    }

    void awaitProtected() throws IOException, InterruptedException {
        PairChecks.awaitProtected(pair);
    }

    static void checkpointNow(LocalPair.Node primary) throws IOException {
        try (NodeMBean checkpoints = NodeMBean.at(primary, "dev.colo:type=Checkpoint", "Epoch")) {
            checkpoints.invoke("checkpointNow");
        }
    }

    LocalPair.Node node(String role) {
        return PairChecks.node(pair, role);
    }

    void count(String fault) {
        faults.merge(fault, 1, Integer::sum);
    }

    private void skip(String reason) {
        if (!skipped.contains(reason)) {
            skipped.add(reason);
            out.println("[faults] skipped: " + reason);
        }
    }
}
