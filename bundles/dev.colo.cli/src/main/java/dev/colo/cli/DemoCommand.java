package dev.colo.cli;

import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.ProxyMXBean;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.openmbean.CompositeData;

/**
 * {@code colo demo}: the whole story on one machine. A local pair with the reference guest behind the proxy;
 * clients writing through the service port (and {@code redis-benchmark} beside them when it is installed);
 * the checkpoints and their reasons; {@code kill -9} of the primary; the failover and the gap the clients
 * saw; and a check that every write a client saw acknowledged is on the new primary. Exits 1 if any of
 * that failed.
 */
final class DemoCommand implements Command {
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);
    private static final int WRITERS = 2;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return """
                demo [--dir DIR] [--seconds N] [--heartbeat-timeout-ms MS]
                    Starts a local pair in DIR (default ./pair) as pair up does, with the reference guest behind
                    the proxy; writes through the service port for N seconds (default 5) with %d clients (and
                    redis-benchmark when it is installed), printing the checkpoints and their reasons; kills the
                    primary with kill -9; waits for the secondary to take over, printing the gap the clients saw;
                    and checks that every acknowledged write is on the new primary. Exits 1 if an invariant
                    failed. The survivor keeps running: bin/colo reprotect --dir DIR brings the other node back as
                    its secondary, bin/colo pair down --dir DIR stops it. --heartbeat-timeout-ms as for pair up (how
                    soon the dead primary is replaced).""".formatted(WRITERS);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "seconds", "heartbeat-timeout-ms");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        Path dir = PairDirs.dir(args);
        int seconds = args.intValue("seconds", 5, 1, 3600);
        List<String> upArgs = new ArrayList<>(List.of("--dir", dir.toString()));
        String heartbeat = args.value("heartbeat-timeout-ms", "");
        if (!heartbeat.isEmpty()) {
            upArgs.addAll(List.of("--heartbeat-timeout-ms", heartbeat));
        }
        int up = new PairUpCommand().run(Args.parse(upArgs, Set.of("dir", "heartbeat-timeout-ms"), Set.of(), 0), out);
        if (up != 0) {
            return up;
        }
        PairFile.Pair pair = PairFile.readIn(dir, "pair up failed");
        PairFile.Node primary = pair.nodes().stream().filter(n -> "primary".equals(n.role())).findFirst().orElseThrow();
        PairFile.Node secondary = pair.nodes().stream().filter(n -> n != primary).findFirst().orElseThrow();
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        try (JmxClient primaryJmx = connect(primary); JmxClient secondaryJmx = connect(secondary)) {
            out.println("\n== Waiting for the first (full) checkpoint to protect the pair");
            primaryJmx.await(CheckpointMXBean.OBJECT_NAME, "Protecting", Boolean.TRUE, FAILOVER_TIMEOUT);
            // and the service compares: a client connected before would be served unprotected until the next
            // checkpoint ends its connection
            primaryJmx.await(ProxyMXBean.objectName(pair.service().name()), "Protecting",
                    Boolean.TRUE, FAILOVER_TIMEOUT);
            List<DemoWriter> writers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                DemoWriter writer = new DemoWriter(service, i);
                writers.add(writer);
                Thread thread = new Thread(writer, "colo-demo-writer-" + i);
                thread.start();
                threads.add(thread);
            }
            Process benchmark = redisBenchmark(service, dir, out);
            out.printf("%n== %d clients write through %s:%d for %d s (every tenth command a LOCALTIME: a miscompare)%n",
                    WRITERS, service.getHostString(), service.getPort(), seconds);
            Thread.sleep(seconds * 1000L);
            printCheckpoints(primaryJmx, out);

            out.printf("%n== kill -9 %s (pid %d), the primary%n", primary.nodeId(), primary.pid());
            long killedAt = System.nanoTime();
            ProcessHandle.of(primary.pid()).ifPresent(ProcessHandle::destroyForcibly);
            boolean completed = secondaryJmx.await(FailoverMXBean.OBJECT_NAME, "State", "COMPLETED", FAILOVER_TIMEOUT);
            CompositeData failover = (CompositeData) secondaryJmx.attribute(FailoverMXBean.OBJECT_NAME, "LastFailover");
            out.printf("%s: failover %s %.0f ms after the kill (detection, then %s ms to commit the "
                    + "disks and become primary; %s)%n", secondary.nodeId(), completed ? "COMPLETED" : "NOT completed",
                    (System.nanoTime() - killedAt) / 1e6, failover.get("durationMillis"), failover.get("reason"));
            Thread.sleep(2000); // the clients go on against the new primary
            writers.forEach(DemoWriter::stop);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            if (benchmark != null) {
                benchmark.destroy();
            }
            return verify(service, writers, completed, killedAt, out);
        } catch (IOException e) {
            throw new CliException("demo: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("demo: interrupted", e);
        }
    }

    private static int verify(InetSocketAddress service, List<DemoWriter> writers, boolean failedOver,
            long killedAt, PrintStream out) throws IOException {
        long acknowledged = 0;
        long missing = 0;
        long gap = 0;
        long failoverGap = -1;
        try (Socket socket = new Socket()) {
            socket.connect(service, 5000);
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream o = socket.getOutputStream();
            for (DemoWriter writer : writers) {
                gap = Math.max(gap, writer.longestGapMillis());
                failoverGap = Math.max(failoverGap, writer.gapAcrossMillis(killedAt));
                for (String key : writer.acknowledged()) {
                    acknowledged++;
                    if (!DemoWriter.value(key).equals(DemoWriter.call(o, in, "GET", key))) {
                        missing++;
                        out.println("MISSING: " + key + " was acknowledged, the new primary does not have it");
                    }
                }
            }
        }
        out.printf("%n== Verdict%nfailover gap as the clients saw it (from the last write acknowledged before the kill "
                + "to the first after, the longest of the clients): %s%nlongest time without an acknowledged write, "
                + "at any time of the run: %d ms%nacknowledged writes %d, present on the new primary %d, lost %d%n",
                failoverGap < 0 ? "NONE acknowledged after the kill" : failoverGap + " ms", gap, acknowledged,
                acknowledged - missing, missing);
        boolean ok = failedOver && missing == 0 && acknowledged > 0 && failoverGap >= 0;
        out.println(ok ? "every invariant held" : "AN INVARIANT FAILED");
        return ok ? 0 : 1;
    }

    private static void printCheckpoints(JmxClient primary, PrintStream out) throws IOException {
        CompositeData counts = (CompositeData) primary.attribute(CheckpointMXBean.OBJECT_NAME, "Counts");
        CompositeData p99 = (CompositeData) primary.attribute(CheckpointMXBean.OBJECT_NAME, "P99StepMicros");
        out.printf("checkpoints: %s completed, %s failed; reasons: protect %s, periodic %s, miscompare %s, "
                + "compare timeout %s, queue bound %s, operator %s%n", counts.get("completed"), counts.get("failed"),
                counts.get("protect"), counts.get("periodic"), counts.get("miscompare"), counts.get("compareTimeout"),
                counts.get("queueBound"), counts.get("operator"));
        out.printf("checkpoint pause of the primary's guest, p99: %s µs (request %s, capture %s, transfer %s, load %s)"
                + "%n", p99.get("pausedMicros"), p99.get("requestMicros"), p99.get("captureMicros"),
                p99.get("transferMicros"), p99.get("loadMicros"));
    }

    /** redis-benchmark as more load beside the writers, if installed; null otherwise. */
    private static Process redisBenchmark(InetSocketAddress service, Path dir, PrintStream out) {
        try {
            Process process = new ProcessBuilder("redis-benchmark", "-h", service.getHostString(), "-p",
                    Integer.toString(service.getPort()), "-t", "get,set", "-n", "10000000", "-c", "2", "-q")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("demo-redis-benchmark.log").toFile()).start();
            out.println("redis-benchmark adds load (log: " + dir.resolve("demo-redis-benchmark.log") + ")");
            return process;
        } catch (IOException notInstalled) {
            out.println("redis-benchmark is not installed: the built-in clients alone make the load");
            return null;
        }
    }

    private static JmxClient connect(PairFile.Node node) throws IOException {
        return JmxClient.connect(node.jmx(), JMX_TIMEOUT);
    }
}
