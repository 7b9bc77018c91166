package dev.colo.itests.support;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Replication benchmark: what synchronous replication to the secondary (over TLS) costs a writer of the
 * primary's NBD view of {@code disk0}, against {@code nbdkit file} (unreplicated) on a sparse file of the same
 * size on the same file system, and how long a checkpoint holds I/O on the secondary. One local pair
 * ({@code bin/colo pair up}), one run, one Markdown table:
 * <ol>
 *   <li>{@code nbdcopy} of {@code bench.size.mib} MiB (default 1024) of random data into each server: MiB/s,
 *       median of 3 after one warm-up copy each; ratio replicated / nbdkit (target &ge; 0.7). Both nodes
 *       checkpoint before every copy of the pair (untimed), so every copy pays the secondary's copy-before-write
 *       into H, as the first write of a block after a checkpoint does.</li>
 *   <li>{@code fio --ioengine=nbd --rw=randwrite --bs=4k --iodepth=1 --time_based --runtime=10}: completion
 *       latency p50 / p99 (and IOPS) of each server after a 3 s warm-up, and the loopback TCP round trip of this
 *       machine measured in the same run (1 byte ping-pong over 127.0.0.1 with TCP_NODELAY, median of 10000).
 *       Target: replicated p50 &le; (nbdkit p50 + RTT) &times; 1.25, one round trip to the secondary being the
 *       price of synchronous replication.</li>
 *   <li>Checkpoint with 64 MiB in A and 64 MiB in H: 64 MiB written to the secondary's view (into A) and
 *       64 MiB by the primary to another region (the secondary copies S's old blocks into H), both checked over
 *       JMX, then {@code checkpoint} on both nodes; the secondary's {@code LastCheckpointMicros} (how long it held
 *       I/O, measured inside the node). 5 rounds (bench.checkpoint.rounds), median and max (target &le; 5 ms).</li>
 * </ol>
 *
 * <p>Run: {@code mvn -B verify -Pbench -pl itests/pair -am -DskipTests -Dbench.failure-detection.skip=true
 * [-Dbench.size.mib=N] [-Dbench.fio.runtime=SECONDS] [-Dbench.checkpoint.rounds=N]} (without
 * {@code -Dbench.failure-detection.skip=true} the failure-detection benchmark runs first;
 * {@code -Dbench.replication.skip=true} skips this one). Needs nbdcopy, nbdinfo, nbdkit, fio and qemu-io.
 */
public final class ReplicationBenchmark {
    private static final String DISK = "disk0";
    private static final long MIB = 1L << 20;
    private static final int COPY_RUNS = 3;
    private static final int RTT_WARMUP = 2_000;
    private static final int RTT_SAMPLES = 10_000;
    private static final long CHECKPOINT_FILL = 64 * MIB;
    private static final String PRIMARY_REGION = "512M"; // the primary's 64 MiB, away from the secondary's at 0
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(600);

    private final Path work;
    private final int sizeMib;
    private final int fioRuntime;
    private final int checkpointRounds;

    private ReplicationBenchmark(Path work, int sizeMib, int fioRuntime, int checkpointRounds) {
        this.work = work;
        this.sizeMib = sizeMib;
        this.fioRuntime = fioRuntime;
        this.checkpointRounds = checkpointRounds;
    }

    public static void main(String[] args) throws Exception {
        Path installation = Path.of(System.getProperty("colo.distribution.home"));
        Path work = Files.createDirectories(
                Path.of(System.getProperty("colo.itest.work", "target/bench")).toAbsolutePath().resolve("replication"));
        for (String tool : List.of("nbdcopy", "nbdinfo", "nbdkit", "fio", "qemu-io")) {
            if (!ThisMachine.hasTool(tool)) {
                throw new IllegalStateException("replication benchmark: " + tool
                        + " is missing (apt-get install libnbd-bin nbdkit fio qemu-utils)");
            }
        }
        ReplicationBenchmark bench = new ReplicationBenchmark(work, Integer.getInteger("bench.size.mib", 1024),
                Integer.getInteger("bench.fio.runtime", 10), Integer.getInteger("bench.checkpoint.rounds", 5));
        System.out.println(bench.run(installation));
    }

    private String run(Path installation) throws Exception {
        Path random = work.resolve("random.bin");
        writeRandom(random, sizeMib * MIB);
        LocalPair pair = LocalPair.up(installation, work.resolve("pair"), PAIR_UP_TIMEOUT, "--no-guest");
        Process nbdkit = null;
        try (ReplicationJmx p = ReplicationJmx.of(pair.node("colo-a"), DISK);
             ReplicationJmx s = ReplicationJmx.of(pair.node("colo-b"), DISK)) {
            p.await("RUNNING and protected", bean -> "RUNNING".equals(String.valueOf(bean.unchecked("Stage")))
                    && !(Boolean) bean.unchecked("Degraded"), STATE_TIMEOUT);
            s.await("RUNNING", bean -> "RUNNING".equals(String.valueOf(bean.unchecked("Stage"))), STATE_TIMEOUT);
            String ours = pair.node("colo-a").disk(DISK).nbdUri();
            String secondaryView = pair.node("colo-b").disk(DISK).nbdUri();
            long diskBytes = Long.parseLong(tool("nbdinfo-size.log", "nbdinfo", "--size", ours).output().strip());
            if (sizeMib * MIB > diskBytes) {
                throw new IllegalArgumentException("bench.size.mib " + sizeMib + " is larger than " + DISK + " ("
                        + diskBytes / MIB + " MiB)");
            }

            // the unreplicated peer: nbdkit's file plugin over a sparse file of the disk's size, same file system
            Path image = work.resolve("nbdkit.img");
            Files.deleteIfExists(image);
            try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
                file.setLength(diskBytes);
            }
            int port = ThisMachine.freePort();
            nbdkit = new ProcessBuilder("nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p",
                    Integer.toString(port), "file", image.toString()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("nbdkit.log").toFile()).start();
            awaitListening(port, nbdkit);
            String peer = "nbd://127.0.0.1:" + port + "/";

            // 1. nbdcopy throughput
            System.out.println("[bench] warm-up copies ...");
            checkpoint(p, s);
            copySeconds(random, ours);
            copySeconds(random, peer);
            double[] copyOurs = new double[COPY_RUNS];
            double[] copyPeer = new double[COPY_RUNS];
            for (int i = 0; i < COPY_RUNS; i++) { // interleaved, so that drift of the machine hits both alike
                checkpoint(p, s);
                copyOurs[i] = sizeMib / copySeconds(random, ours);
                copyPeer[i] = sizeMib / copySeconds(random, peer);
                System.out.printf(Locale.ROOT, "[bench] nbdcopy %d: replicated %.1f MiB/s, nbdkit %.1f MiB/s%n", i + 1,
                        copyOurs[i], copyPeer[i]);
            }

            // 2. QD1 4 KiB random-write latency, and the loopback round trip it is to be compared with
            System.out.println("[bench] fio warm-up ...");
            checkpoint(p, s);
            fio("warmup", ours, diskBytes, 3);
            fio("warmup", peer, diskBytes, 3);
            checkpoint(p, s);
            Fio fioOurs = fio("replicated", ours, diskBytes, fioRuntime);
            Fio fioPeer = fio("nbdkit", peer, diskBytes, fioRuntime);
            double rttMicros = loopbackRttMicros();
            System.out.printf(Locale.ROOT, "[bench] fio replicated %s; nbdkit %s; loopback RTT %.1f µs%n", fioOurs,
                    fioPeer, rttMicros);

            // 3. checkpoint with 64 MiB in A and 64 MiB in H
            checkpoint(p, s); // empty what the runs above left in H
            long[] checkpointMicros = new long[checkpointRounds];
            long[] invokeMicros = new long[checkpointRounds];
            for (int round = 0; round < checkpointRounds; round++) {
                int pattern = 0x10 + round;
                qemuIo(secondaryView, "qemu-io-secondary.log", "write -P " + (pattern + 0x40) + " 0 64M");
                qemuIo(ours, "qemu-io-primary.log", "write -P " + pattern + " " + PRIMARY_REGION + " 64M");
                s.await("64 MiB in A and in H", bean -> bytes(bean, "ActiveOverlayBytes") >= CHECKPOINT_FILL
                        && bytes(bean, "HiddenOverlayBytes") >= CHECKPOINT_FILL, STATE_TIMEOUT);
                long active = bytes(s, "ActiveOverlayBytes");
                long hidden = bytes(s, "HiddenOverlayBytes");
                p.invoke("checkpoint");
                long started = System.nanoTime();
                s.invoke("checkpoint");
                invokeMicros[round] = (System.nanoTime() - started) / 1000;
                checkpointMicros[round] = ((Number) s.attribute("LastCheckpointMicros")).longValue();
                System.out.printf(Locale.ROOT, "[bench] checkpoint %d: A %d MiB, H %d MiB -> held I/O %d µs "
                                + "(JMX invoke %d µs); after: A %d, H %d bytes%n", round + 1, active / MIB, hidden / MIB,
                        checkpointMicros[round], invokeMicros[round], bytes(s, "ActiveOverlayBytes"),
                        bytes(s, "HiddenOverlayBytes"));
            }

            // 4. the primary alone (its secondary killed): every write is recorded in the dirty bitmap first
            LocalPair.kill(pair.node("colo-b"));
            // the disk finds its secondary gone at the next write it forwards (a broken connection, or its timeout)
            qemuIo(ours, "qemu-io-degrade.log", "write -P 0x7f 0 4k");
            p.await("degraded", bean -> (Boolean) bean.unchecked("Degraded"), STATE_TIMEOUT);
            Fio fioDegraded = fio("degraded", ours, diskBytes, fioRuntime); // first: every extent new to the bitmap
            double[] copyDegraded = new double[COPY_RUNS];
            for (int i = 0; i < COPY_RUNS; i++) {
                copyDegraded[i] = sizeMib / copySeconds(random, ours);
                System.out.printf(Locale.ROOT, "[bench] nbdcopy %d degraded: %.1f MiB/s%n", i + 1, copyDegraded[i]);
            }
            System.out.printf(Locale.ROOT, "[bench] fio degraded %s%n", fioDegraded);
            return table(copyOurs, copyPeer, fioOurs, fioPeer, rttMicros, checkpointMicros, invokeMicros)
                    + degradedTable(median(copyDegraded), median(copyOurs), fioDegraded, fioOurs);
        } finally {
            if (nbdkit != null) {
                nbdkit.destroy();
                nbdkit.waitFor();
            }
            pair.down();
        }
    }

    private String table(double[] copyOurs, double[] copyPeer, Fio fioOurs, Fio fioPeer, double rtt,
                         long[] checkpointMicros, long[] invokeMicros) {
        double ours = median(copyOurs);
        double peer = median(copyPeer);
        double copyRatio = ours / peer;
        double bound = (fioPeer.p50Micros() + rtt) * 1.25;
        double cpMedian = median(checkpointMicros) / 1000.0;
        double cpMax = Arrays.stream(checkpointMicros).max().orElse(-1) / 1000.0;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nReplication benchmark, %s, %d cores; %s sync-replicated over TLS "
                        + "(primary's view) vs nbdkit file; nbdcopy of %d MiB (median of %d), fio %d s per run%n%n",
                Instant.now().truncatedTo(ChronoUnit.MINUTES), Runtime.getRuntime().availableProcessors(), DISK,
                sizeMib, COPY_RUNS, fioRuntime));
        out.append("| metric | replicated | nbdkit file | replicated / nbdkit | target | met |\n");
        out.append("| --- | ---: | ---: | ---: | --- | --- |\n");
        row(out, "nbdcopy throughput (MiB/s)", ours, peer, copyRatio, "ratio ≥ 0.70", copyRatio >= 0.7);
        row(out, "4 KiB randwrite QD1 IOPS", fioOurs.iops(), fioPeer.iops(), fioOurs.iops() / fioPeer.iops(), "", null);
        row(out, "4 KiB randwrite QD1 clat p50 (µs)", fioOurs.p50Micros(), fioPeer.p50Micros(),
                fioOurs.p50Micros() / fioPeer.p50Micros(), String.format(Locale.ROOT, "≤ (nbdkit p50 + RTT) × 1.25 "
                        + "= %.1f µs", bound), fioOurs.p50Micros() <= bound);
        row(out, "4 KiB randwrite QD1 clat p99 (µs)", fioOurs.p99Micros(), fioPeer.p99Micros(),
                fioOurs.p99Micros() / fioPeer.p99Micros(), "", null);
        out.append(String.format(Locale.ROOT, "| loopback TCP RTT, 1 byte, TCP_NODELAY (µs, median of %d) | %.1f | | "
                + "| | |%n", RTT_SAMPLES, rtt));
        out.append(String.format(Locale.ROOT, "| checkpoint, 64 MiB in A + 64 MiB in H: LastCheckpointMicros "
                        + "(ms, median / max of %d) | %.3f / %.3f | | | ≤ 5 ms | %s |%n", checkpointMicros.length, cpMedian,
                cpMax, cpMax <= 5.0 ? "yes" : "no (max)" + (cpMedian <= 5.0 ? ", median yes" : "")));
        out.append(String.format(Locale.ROOT, "| checkpoint: JMX invoke round trip on the secondary (ms, median / max)"
                        + " | %.3f / %.3f | | | | |%n", median(invokeMicros) / 1000.0,
                Arrays.stream(invokeMicros).max().orElse(-1) / 1000.0));
        return out.toString();
    }

    /** The primary alone against the protected pair, same run: the cost of recording what the secondary lacks. */
    private static String degradedTable(double copyDegraded, double copyProtected, Fio fioDegraded, Fio fioProtected) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nThe primary alone (secondary killed) vs "
                + "the protected pair, same run%n%n"));
        out.append("| metric | degraded | protected | degraded / protected | target | met |\n");
        out.append("| --- | ---: | ---: | ---: | --- | --- |\n");
        double copyRatio = copyDegraded / copyProtected;
        row(out, "nbdcopy throughput (MiB/s)", copyDegraded, copyProtected, copyRatio, "ratio ≥ 0.80",
                copyRatio >= 0.8);
        double iopsRatio = fioDegraded.iops() / fioProtected.iops();
        row(out, "4 KiB randwrite QD1 IOPS (degraded: a fresh bitmap)", fioDegraded.iops(), fioProtected.iops(),
                iopsRatio, "ratio ≥ 0.80", iopsRatio >= 0.8);
        return out.toString();
    }

    private static void row(StringBuilder out, String metric, double ours, double peer, double ratio, String target,
                            Boolean met) {
        out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %s | %s |%n", metric, ours, peer, ratio,
                target, met == null ? "" : met ? "yes" : "no"));
    }

    /** Ends the epoch on both nodes, as the checkpoint coordinator does: empties A and H on the secondary. */
    private static void checkpoint(ReplicationJmx primary, ReplicationJmx secondary) throws IOException {
        primary.invoke("checkpoint");
        secondary.invoke("checkpoint");
    }

    private static long bytes(NodeMBean bean, String attribute) {
        return ((Number) bean.unchecked(attribute)).longValue();
    }

    /** Seconds of one {@code nbdcopy FILE URI}, the process's start and end included (as for both servers). */
    private double copySeconds(Path source, String uri) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Processes.Result copy = Processes.run(List.of("nbdcopy", source.toString(), uri), null,
                work.resolve("nbdcopy.log"), TOOL_TIMEOUT);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (copy.exit() != 0) {
            throw new IllegalStateException("nbdcopy into " + uri + " failed (" + copy.exit() + "):\n" + copy.output());
        }
        return seconds;
    }

    record Fio(double iops, double p50Micros, double p99Micros) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f IOPS, clat p50 %.1f µs, p99 %.1f µs", iops, p50Micros, p99Micros);
        }
    }

    @SuppressWarnings("unchecked")
    private Fio fio(String name, String uri, long sizeBytes, int runtime) throws IOException, InterruptedException {
        Path json = work.resolve("fio-" + name + ".json");
        Files.deleteIfExists(json);
        Processes.Result run = Processes.run(List.of("fio", "--name=" + name, "--ioengine=nbd", "--uri=" + uri,
                        "--rw=randwrite", "--bs=4k", "--iodepth=1", "--size=" + sizeBytes, "--time_based",
                        "--runtime=" + runtime, "--output-format=json", "--output=" + json),
                null, work.resolve("fio-" + name + ".log"), Duration.ofSeconds(runtime + 120L));
        if (run.exit() != 0 || !Files.exists(json)) {
            throw new IllegalStateException("fio on " + uri + " failed (" + run.exit() + "):\n" + run.output());
        }
        String text = Files.readString(json, StandardCharsets.UTF_8);
        int start = text.indexOf('{'); // fio's nbd engine may print a line before the JSON
        Map<String, Object> report = JSON.std.mapFrom(text.substring(start));
        Map<String, Object> write = (Map<String, Object>) ((Map<String, Object>)
                ((List<Object>) report.get("jobs")).get(0)).get("write");
        Map<String, Object> percentiles = (Map<String, Object>) ((Map<String, Object>) write.get("clat_ns"))
                .get("percentile");
        return new Fio(((Number) write.get("iops")).doubleValue(),
                ((Number) percentiles.get("50.000000")).doubleValue() / 1000,
                ((Number) percentiles.get("99.000000")).doubleValue() / 1000);
    }

    private void qemuIo(String uri, String log, String command) throws IOException, InterruptedException {
        Processes.Result io = Processes.run(List.of("qemu-io", "-f", "raw", uri, "-c", command), null,
                work.resolve(log), TOOL_TIMEOUT);
        if (io.exit() != 0 || io.output().contains("error") || io.output().contains("failed")) {
            throw new IllegalStateException("qemu-io " + command + " on " + uri + " failed:\n" + io.output());
        }
    }

    private Processes.Result tool(String log, String... command) throws IOException, InterruptedException {
        Processes.Result result = Processes.run(List.of(command), null, work.resolve(log), TOOL_TIMEOUT);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + result.output());
        }
        return result;
    }

    /** Median of 1-byte ping-pongs over a loopback TCP connection (TCP_NODELAY both ways), in microseconds. */
    static double loopbackRttMicros() throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            Thread echo = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    socket.setTcpNoDelay(true);
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    for (int b = in.read(); b >= 0; b = in.read()) {
                        out.write(b);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "rtt-echo");
            echo.setDaemon(true);
            echo.start();
            long[] samples = new long[RTT_SAMPLES];
            try (Socket client = new Socket(loopback, server.getLocalPort())) {
                client.setTcpNoDelay(true);
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                for (int i = -RTT_WARMUP; i < RTT_SAMPLES; i++) {
                    long started = System.nanoTime();
                    out.write(1);
                    if (in.read() < 0) {
                        throw new IOException("the echo side closed");
                    }
                    if (i >= 0) {
                        samples[i] = System.nanoTime() - started;
                    }
                }
            }
            echo.join(5_000);
            return median(samples) / 1000.0;
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        byte[] chunk = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long value = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        chunk[i + j] = (byte) (value >>> (8 * j));
                    }
                }
                out.write(chunk);
            }
        }
    }


    private static void awaitListening(int port, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nbdkit ended with exit code " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nbdkit does not listen on 127.0.0.1:" + port);
    }
}
