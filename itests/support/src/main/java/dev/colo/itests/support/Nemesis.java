package dev.colo.itests.support;

import dev.colo.testing.RespClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.openmbean.CompositeData;

/**
 * A seeded random schedule of faults from a catalogue, on either node, under client load (a writer of 10 000 keys and
 * clients incrementing one shared key), with the invariants checked after every step (one primary, the pair protected
 * again, every acknowledged write there, the last of each key, threads bounded), and at the end the disks compared
 * and every acknowledged increment counted. The same seed gives the same schedule ({@code -Dnemesis.seed=S} replays a run); a
 * failing run leaves its schedule, both nodes' logs and thread dumps in one folder. Where {@link FaultSuite} runs a
 * fixed list in a fixed order, this composes the faults in orders nobody wrote down, and times them against
 * checkpoints (a step may ask for a checkpoint and strike a random moment after it).
 */
public final class Nemesis {
    /**
     * One step of a schedule: a fault of the catalogue, where it strikes, when relative to a checkpoint, and the fault
     * that overlaps it on the other node (null for none).
     */
    public record Step(int index, Fault fault, String role, int variant, long afterCheckpointMillis,
                       Fault overlapping) {
        @Override
        public String toString() {
            return String.format("%3d %-28s %-9s variant %d%s%s", index, fault.label, role, variant,
                    afterCheckpointMillis < 0 ? "" : ", " + afterCheckpointMillis + " ms after a checkpoint",
                    overlapping == null ? "" : ", overlapped by " + overlapping.label + " (" + other(role) + ")");
        }
    }

    /** The catalogue. Each fault heals itself and waits until the pair is protected again. */
    public enum Fault {
        KILL("kill -9"),
        FREEZE_SHORT("SIGSTOP shorter than timeout"),
        FREEZE_LONG("SIGSTOP beyond timeout"),
        LINK_CUT("link cut, fencing fails"),
        LINK_CUT_ONE_WAY("one-way link cut"),
        CUT_OFF("link cut, fencing none or late"),
        INVALID_CONFIGURATION("invalid configuration"),
        BUNDLE_STOPPED("bundle:stop / start"),
        BUNDLE_UPDATED("bundle:update"),
        SWITCHOVER("switchover"),
        LIVE_FAILOVER("failover of a live pair"),
        REPROTECT("reprotect a protected pair"),
        PAIR_STOP_RESTART("pair stop / restart of a node"),
        BROKER_AWAY("MQTT broker frozen"),
        LARGE_VALUES("large values"),
        MANY_CONNECTIONS("many connections"),
        DISK_FULL("disk full and freed"),
        CHECKPOINT_STEP_FAILED("checkpoint step fails"),
        CHECKPOINT_STEP_CRASH("crash at a checkpoint step");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    /** What a run did and found. */
    public record Summary(long seed, List<Step> schedule, Map<String, Integer> faults, long writesChecked,
                          long incrementsChecked, List<String> lost, long longestOutageMillis, long unanswered,
                          long roleSamples, long twoPrimaries, long twoPrimariesExcused, Path evidence) {
        public String report() {
            return "seed " + seed + ", steps " + schedule.size() + ", faults " + faults + ", writes checked "
                    + writesChecked + ", increments checked " + incrementsChecked + ", lost " + lost.size()
                    + (lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(5, lost.size()))) + ", longest outage "
                    + longestOutageMillis + " ms, writes unanswered for 10 s " + unanswered + ", role samples "
                    + roleSamples + ", moments with two primaries " + twoPrimaries + " (and " + twoPrimariesExcused
                    + " where fencing none or late makes them, as documented)";
        }
    }

    /** Bundles an operator may stop or update; each is one concern the pair survives losing for a while. */
    private static final List<String> BUNDLES = List.of("dev.colo.pair", "dev.colo.proxy", "dev.colo.checkpoint",
            "dev.colo.heartbeat", "dev.colo.mqtt", "dev.colo.management", "dev.colo.management.rmi",
            "dev.colo.replication", "dev.colo.storage", "dev.colo.nbd", "dev.colo.nbd.client", "dev.colo.guest.kv",
            "dev.colo.failover", "dev.colo.transport");
    private static final String[] ROLES = {"primary", "secondary"};
    /** What may run beside another fault: it touches the other node, the broker or the clients, never the roles. */
    private static final List<Fault> OVERLAPPING = List.of(Fault.FREEZE_SHORT, Fault.BROKER_AWAY, Fault.LARGE_VALUES,
            Fault.MANY_CONNECTIONS);
    private static final int LARGE_VALUE_BYTES = 2 << 20;
    private static final int MAX_THREADS = 1000;
    private static final int COUNTER_CLIENTS = 2;

    private final LocalPair pair;
    private final PrintStream out;
    private final long seed;
    private final List<Step> schedule;
    private final FaultSuite suite;
    private final OperatorFaults operator;
    private final CheckpointStepFaults checkpointSteps;

    /** Runs {@code schedule}: the seed's whole schedule, or a part of it (a replay of a shrunk one). */
    public Nemesis(LocalPair pair, PrintStream out, long seed, List<Step> schedule) {
        this.pair = pair;
        this.out = out;
        this.seed = seed;
        this.schedule = List.copyOf(schedule);
        this.suite = new FaultSuite(pair, out);
        this.operator = new OperatorFaults(suite, pair, out);
        this.checkpointSteps = new CheckpointStepFaults(suite, pair, out);
    }

    /** The schedule of {@code seed}: the same steps, targets and timings on every machine. */
    public static List<Step> schedule(long seed, int steps) {
        Random random = new Random(seed);
        List<Step> schedule = new ArrayList<>();
        Fault[] faults = Fault.values();
        for (int i = 1; i <= steps; i++) {
            Fault fault = faults[random.nextInt(faults.length)];
            String role = ROLES[random.nextInt(ROLES.length)];
            int variant = random.nextInt(1 << 16);
            long afterCheckpoint = random.nextInt(3) == 0 ? random.nextInt(500) : -1;
            Fault overlapping = random.nextInt(4) == 0 ? OVERLAPPING.get(random.nextInt(OVERLAPPING.size())) : null;
            schedule.add(new Step(i, fault, role, variant, afterCheckpoint, overlapping));
        }
        return schedule;
    }

    /** The steps of {@code schedule} whose index is in {@code only} (all when it is empty), in order. */
    public static List<Step> only(List<Step> schedule, Set<Integer> only) {
        return only.isEmpty() ? schedule : schedule.stream().filter(step -> only.contains(step.index())).toList();
    }

    /** How to replay {@code steps} of {@code seed}: {@code -Dnemesis.seed=S -Dnemesis.only=I,J,...}. */
    public static String replay(long seed, List<Step> steps) {
        return "-Dnemesis.seed=" + seed + " -Dnemesis.steps=" + steps.stream().mapToInt(Step::index).max().orElse(0)
                + " -Dnemesis.only=" + String.join(",", steps.stream().map(step -> Integer.toString(step.index()))
                .toList());
    }

    /**
     * Runs the schedule, starting no step after {@code budget} (a soak gives a long schedule and a budget); a failure
     * leaves its evidence in {@code evidence} and is thrown again with the seed.
     */
    public Summary run(Path evidence, Duration budget) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        out.printf("[nemesis] seed %d (replay: -Dnemesis.seed=%d), %d steps:%n", seed, seed, schedule.size());
        schedule.stream().limit(100).forEach(step -> out.println("[nemesis]   " + step));
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        Map<String, Integer> done = new LinkedHashMap<>();
        try (ClientLoad load = new ClientLoad(service, "nemesis" + seed);
                CounterLoad counter = new CounterLoad(service, "nemesis" + seed + ":counter", COUNTER_CLIENTS);
                DiskFullFaults diskFull = new DiskFullFaults(suite, pair, out);
                PrimarySampler sampler = new PrimarySampler(pair, out)) {
            suite.awaitProtected();
            for (Step step : schedule) {
                if (System.nanoTime() > deadline) {
                    out.printf("[nemesis] budget of %d min spent before step %d%n", budget.toMinutes(), step.index());
                    break;
                }
                out.printf("[nemesis] step %s%n", step);
                long unansweredBefore = load.unanswered();
                try {
                    sampler.excuse(twoPrimariesDocumented(step));
                    strikeOverlapped(step, load, diskFull);
                    operator.settled(load, "after step " + step.index() + " (" + step.fault().label + ")");
                    sampler.excuse(null); // only now: two primaries of such a fault last until they settled
                    if (load.unanswered() > unansweredBefore) {
                        out.printf("[nemesis] step %d: %d write(s) neither answered nor refused within 10 s%n",
                                step.index(), load.unanswered() - unansweredBefore);
                    }
                    resources();
                } catch (Exception | AssertionError e) {
                    keepEvidence(evidence, step, e);
                    throw new AssertionError("nemesis seed " + seed + " failed at step " + step + ": " + e.getMessage()
                            + " (evidence in " + evidence + ")", e);
                }
                done.merge(step.fault().label, 1, Integer::sum);
            }
            List<String> lost = new ArrayList<>(counter.stopAndCheck()); // first: its writes would differ the disks
            try {
                PairChecks.disksIdentical(pair, load, "end of the nemesis run");
            } catch (Exception | AssertionError e) {
                keepEvidence(evidence, schedule.get(schedule.size() - 1), e);
                throw new AssertionError("nemesis seed " + seed + " failed at the end: " + e.getMessage()
                        + " (evidence in " + evidence + ")", e);
            }
            load.pause();
            lost.addAll(load.lost());
            Summary summary = new Summary(seed, schedule.subList(0, done.values().stream().mapToInt(Integer::intValue)
                    .sum()), done, load.acknowledgedCount(), counter.acknowledged(), lost, load.longestGapMillis(),
                    load.unanswered(), sampler.samples(), sampler.twoPrimaries(), sampler.twoPrimariesExcused(), evidence);
            out.println("[nemesis] " + summary.report());
            return summary;
        }
    }

    /**
     * Why two primaries are the documented outcome of {@code step}, or null: with fencing none (the local pair's
     * default) a secondary that no longer hears its primary takes over beside it, and the two settle from their data
     * once they meet.
     */
    private static String twoPrimariesDocumented(Step step) {
        if (step.fault() == Fault.CUT_OFF && step.variant() % 2 == 0) {
            return "the secondary cut off, fencing none";
        }
        if (step.fault() == Fault.FREEZE_LONG && step.role().equals("primary")) {
            return "the primary frozen beyond the timeout, fencing none";
        }
        return null;
    }

    /** The step's fault, and the one that overlaps it, if any, on a thread of its own started a moment later. */
    private void strikeOverlapped(Step step, ClientLoad load, DiskFullFaults diskFull) throws Exception {
        if (step.overlapping() == null) {
            strike(step, load, diskFull);
            return;
        }
        LocalPair.Node other = suite.node(other(step.role()));
        CompletableFuture<Void> overlap = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(step.variant() % 2_000);
                overlap(step, other);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        strike(step, load, diskFull); // should it fail, the overlapping fault still heals itself on its thread
        try {
            overlap.get(PairChecks.STATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the overlapping " + step.overlapping().label + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * What overlaps a fault: {@code other} (the node the step does not aim at, as it was when the step began) frozen
     * shortly, the broker frozen, or clients with large values or many connections; their connections may be cut by
     * the fault they overlap (counted, not a failure), but every answer they get must be a right one.
     */
    private void overlap(Step step, LocalPair.Node other) throws Exception {
        out.printf("[nemesis] overlapping: %s%n", step.overlapping().label);
        try {
            switch (step.overlapping()) {
                case FREEZE_SHORT -> freeze(other, other.heartbeatTimeoutMs() / 2);
                case BROKER_AWAY -> {
                    if (pair.brokerPid() > 0) {
                        LocalPair.signal(pair.brokerPid(), "STOP");
                        try {
                            Thread.sleep(1_000 + step.variant() % 4_000);
                        } finally {
                            LocalPair.signal(pair.brokerPid(), "CONT");
                        }
                    }
                }
                case LARGE_VALUES -> largeValues(1 + step.variant() % 4);
                case MANY_CONNECTIONS -> manyConnections(50 + step.variant() % 200);
                default -> throw new IllegalStateException("does not overlap: " + step.overlapping());
            }
        } catch (IOException cutByTheFault) {
            out.printf("[nemesis] overlapping %s ended by the fault it overlapped: %s%n", step.overlapping().label,
                    cutByTheFault);
        }
    }

    private static String other(String role) {
        return role.equals("primary") ? "secondary" : "primary";
    }

    private void strike(Step step, ClientLoad load, DiskFullFaults diskFull) throws Exception {
        if (step.afterCheckpointMillis() >= 0) {
            FaultSuite.checkpointNow(suite.node("primary"));
            Thread.sleep(step.afterCheckpointMillis());
        }
        int index = step.index();
        String role = step.role();
        LocalPair.Node node = suite.node(role);
        long timeout = node.heartbeatTimeoutMs();
        switch (step.fault()) {
            case KILL -> {
                if (role.equals("primary")) {
                    suite.killPrimary(index);
                } else {
                    suite.killSecondary(index);
                }
            }
            case FREEZE_SHORT -> freeze(node, timeout / 2 + step.variant() % Math.max(1, timeout / 4));
            case FREEZE_LONG -> {
                if (role.equals("secondary")) {
                    suite.freezeSecondary(index, 2 * timeout + step.variant() % timeout);
                } else {
                    freeze(node, 2 * timeout + step.variant() % timeout); // the secondary takes over, or must not
                }
            }
            case LINK_CUT -> suite.cutLink(index, "peer link cut (nftables)", suite::dropLinkTraffic);
            case LINK_CUT_ONE_WAY -> oneWayCut(node, 2 * timeout + step.variant() % timeout);
            case CUT_OFF -> {
                if (step.variant() % 2 == 0) {
                    operator.cutOffWithoutFencing(index, load);
                } else {
                    operator.cutOffPromotedAfterTheCut(index, load);
                }
            }
            case INVALID_CONFIGURATION -> operator.invalidConfiguration(role, 1 + step.variant() % 8, index);
            case BUNDLE_STOPPED -> operator.bundleStopped(index, role, BUNDLES.get(step.variant() % BUNDLES.size()),
                    timeout / 2 + step.variant() % (3 * timeout));
            case BUNDLE_UPDATED -> operator.bundleUpdated(index, role, BUNDLES.get(step.variant() % BUNDLES.size()));
            case SWITCHOVER -> operator.switchover(index);
            case LIVE_FAILOVER -> operator.liveFailoverRefused(index);
            case REPROTECT -> reprotectProtected();
            case PAIR_STOP_RESTART -> operator.stopAndRestart(role, index, load);
            case BROKER_AWAY -> suite.brokerOutage(index);
            case LARGE_VALUES -> largeValues(1 + step.variant() % 8);
            case MANY_CONNECTIONS -> manyConnections(50 + step.variant() % 450);
            case DISK_FULL -> {
                if (diskFull.unavailable().isPresent()) {
                    out.println("[nemesis] disk full skipped: " + diskFull.unavailable().get());
                } else {
                    diskFull.run(index, load);
                }
            }
            case CHECKPOINT_STEP_FAILED -> checkpointSteps.one(role, step.variant(), false, index, load);
            case CHECKPOINT_STEP_CRASH -> checkpointSteps.one(role, step.variant(), true, index, load);
            default -> throw new IllegalStateException("no such fault: " + step.fault());
        }
    }

    /**
     * Each node's live threads and heap in use after a full GC, printed after every step; more than
     * {@value #MAX_THREADS} threads (a node runs about two hundred), or a heap more than nine tenths full after a GC, is
     * a leak.
     */
    private void resources() throws IOException, InterruptedException {
        StringBuilder line = new StringBuilder("[nemesis] resources:");
        for (LocalPair.Node node : pair.nodes()) {
            try (NodeMBean threading = NodeMBean.at(node, "java.lang:type=Threading", "ThreadCount");
                    NodeMBean memory = NodeMBean.at(node, "java.lang:type=Memory", "HeapMemoryUsage")) {
                int threads = ((Number) threading.attribute("ThreadCount")).intValue();
                memory.invoke("gc");
                CompositeData heap = (CompositeData) memory.attribute("HeapMemoryUsage");
                long used = (Long) heap.get("used");
                long max = (Long) heap.get("max");
                line.append(String.format(" %s %d threads, heap %d of %d MiB;", node.nodeId(), threads, used >> 20,
                        max >> 20));
                if (threads > MAX_THREADS) {
                    throw new AssertionError(node.nodeId() + " runs " + threads + " threads (a leak: at most "
                            + MAX_THREADS + ")");
                }
                if (max > 0 && used > max / 10 * 9) {
                    throw new AssertionError(node.nodeId() + "'s heap is " + (used >> 20) + " of " + (max >> 20)
                            + " MiB after a full GC (a leak)");
                }
            }
        }
        out.println(line);
    }

    /** SIGSTOP, a while, SIGCONT: whatever the failure detector made of it must settle to one protected pair. */
    private void freeze(LocalPair.Node node, long millis) throws Exception {
        out.printf("[nemesis] %s %s frozen for %d ms (heartbeat timeout %d ms)%n", node.role(), node.nodeId(), millis,
                node.heartbeatTimeoutMs());
        LocalPair.signal(node.pid(), "STOP");
        try {
            Thread.sleep(millis);
        } finally {
            LocalPair.signal(node.pid(), "CONT");
        }
    }

    /**
     * What is sent to {@code node}'s peer-link and replication ports dropped for {@code millis} (it no longer hears
     * its peer, which still hears it), with the secondary's fencing failing: whichever side declares the other dead,
     * the pair must settle to one primary, protected again, once healed.
     */
    private void oneWayCut(LocalPair.Node node, long millis) throws Exception {
        if (LinkCut.unavailable().isPresent()) {
            out.println("[nemesis] one-way cut skipped: " + LinkCut.unavailable().get());
            return;
        }
        int[] ports = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(node.peerLinkPort()),
                node.disks().stream().mapToInt(LocalPair.Disk::replicationPort)).toArray();
        out.printf("[nemesis] what is sent to the %s %s dropped for %d ms%n", node.role(), node.nodeId(), millis);
        suite.withFailingFencing(suite.node("secondary"), failover -> {
            try (LinkCut cut = LinkCut.toPorts(ports)) {
                Thread.sleep(millis);
            }
        });
    }

    /** {@code bin/colo reprotect} of a pair that is protected: it must change nothing. */
    private void reprotectProtected() throws Exception {
        suite.awaitProtected();
        String primary = suite.node("primary").nodeId();
        pair.reprotect(FaultSuite.CLI_TIMEOUT);
        if (!suite.node("primary").nodeId().equals(primary)) {
            throw new AssertionError("reprotect of a protected pair moved the primary from " + primary);
        }
    }

    /** Values of 2 MiB through the service: each answered +OK or -OOM (the guest's memory bound), then deleted. */
    private void largeValues(int count) throws IOException {
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        String value = "v".repeat(LARGE_VALUE_BYTES);
        try (RespClient client = new RespClient(service)) {
            for (int i = 0; i < count; i++) {
                String reply = client.call("SET", "nemesis-large" + i, value);
                if (!reply.equals("+OK\r\n") && !reply.startsWith("-OOM ")) {
                    throw new AssertionError("SET of " + LARGE_VALUE_BYTES + " bytes: " + reply.strip());
                }
            }
            for (int i = 0; i < count; i++) {
                client.call("DEL", "nemesis-large" + i);
            }
        }
    }

    /** {@code count} connections at once, each answered PING before all close. */
    private void manyConnections(int count) throws IOException {
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        List<RespClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                clients.add(new RespClient(service));
            }
            for (RespClient client : clients) {
                String reply = client.call("PING");
                if (!reply.equals("+PONG\r\n")) {
                    throw new AssertionError("PING on one of " + count + " connections: " + reply.strip());
                }
            }
        } finally {
            for (RespClient client : clients) {
                client.close();
            }
        }
    }

    /** The schedule, the failure, both nodes' logs and thread dumps, in {@code evidence}. */
    private void keepEvidence(Path evidence, Step failed, Throwable failure) {
        try {
            Files.createDirectories(evidence);
            StringBuilder text = new StringBuilder("seed " + seed + "\nfailed at step " + failed + "\n" + failure
                    + "\n\nschedule:\n");
            schedule.forEach(step -> text.append(step).append('\n'));
            Files.writeString(evidence.resolve("schedule.txt"), text);
            for (LocalPair.Node node : pair.nodes()) {
                Path logs = node.home().resolve("data/log");
                if (Files.isDirectory(logs)) {
                    try (Stream<Path> files = Files.list(logs)) {
                        for (Path log : files.toList()) {
                            Files.copy(log, evidence.resolve(node.nodeId() + "-" + log.getFileName()),
                                    StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                node.process().ifPresent(process -> threadDump(node, evidence));
            }
        } catch (IOException | RuntimeException e) {
            out.println("[nemesis] evidence incomplete: " + e);
        }
    }

    private void threadDump(LocalPair.Node node, Path evidence) {
        try {
            Processes.run(List.of("jcmd", Long.toString(node.pid()), "Thread.print"), null,
                    evidence.resolve(node.nodeId() + "-threads.txt"), Duration.ofSeconds(30));
        } catch (IOException | InterruptedException e) {
            out.println("[nemesis] no thread dump of " + node.nodeId() + ": " + e);
        }
    }
}
