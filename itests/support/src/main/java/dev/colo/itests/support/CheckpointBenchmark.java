package dev.colo.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.management.openmbean.CompositeData;

/**
 * Checkpoint benchmark: how long a checkpoint pauses the primary's guest, against how much guest state changed
 * since the previous one. One local pair ({@code bin/colo pair up}, the reference guest behind the proxy, over
 * the real TLS peer link on loopback), periodic checkpoints turned off; per size, {@code bench.checkpoint.rounds}
 * times (default 5): one MSET through the service port changing that much state (values of 4 KiB), then
 * {@code checkpointNow} over JMX, then the Checkpoint MXBean's LastCheckpoint and LastStepMicros. Prints a
 * Markdown table: pause median and max, the state sent, and the median of each step. The peer measured in the
 * same run is the checkpoint with nothing changed (its pause is the protocol's fixed cost); the target is a
 * median pause of at most 5 ms for 1 MiB.
 *
 * <p>Run: {@code mvn -B verify -Pbench -pl itests/pair -am -DskipTests -Dbench.failure-detection.skip=true
 * -Dbench.replication.skip=true [-Dbench.checkpoint.rounds=N]}.
 */
public final class CheckpointBenchmark {
    private static final int VALUE_BYTES = 4096;
    private static final long[] SIZES = {0, 64 << 10, 1 << 20, 4 << 20};
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);

    private CheckpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path installation = Path.of(System.getProperty("colo.distribution.home"));
        Path work = Files.createDirectories(
                Path.of(System.getProperty("colo.itest.work", "target/bench")).toAbsolutePath().resolve("checkpoint"));
        int rounds = Integer.getInteger("bench.checkpoint.rounds", 5);
        LocalPair pair = LocalPair.up(installation, work.resolve("pair"), PAIR_UP_TIMEOUT);
        try {
            LocalPair.Node primary = pair.node("colo-a");
            for (LocalPair.Node node : pair.nodes()) {
                // no periodic checkpoint: each measured one carries exactly what the round changed
                Path cfg = node.home().resolve("etc/dev.colo.checkpoint.cfg");
                Files.writeString(cfg, "checkpoint.interval.ms = 0\n");
            }
            Thread.sleep(3000); // the coordinators restart with the new configuration
            try (NodeMBean checkpoints = NodeMBean.at(primary, "dev.colo:type=Checkpoint", "LastCheckpoint")) {
                checkpoints.await("protecting", bean -> (Boolean) bean.unchecked("Protecting")
                        && ((Number) bean.unchecked("IntervalMillis")).longValue() == 0, STATE_TIMEOUT);
                List<String> rows = new ArrayList<>();
                for (long size : SIZES) {
                    rows.add(measure(checkpoints, pair.service().port(), size, rounds));
                }
                System.out.printf(Locale.ROOT, "%nCheckpoint benchmark, %d cores, %d rounds per size, values of %d bytes"
                        + "%n%n", Runtime.getRuntime().availableProcessors(), rounds, VALUE_BYTES);
                System.out.println("| changed state | state sent (bytes) | pause p50 (ms) | pause max (ms) | request | "
                        + "capture | transfer | load (µs, p50) | pause / pause with nothing changed |");
                System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                double baseline = Double.NaN;
                for (String row : rows) {
                    String[] cells = row.split("\\|");
                    double pause = Double.parseDouble(cells[3].trim()); // | changed | sent | pause p50 |
                    if (Double.isNaN(baseline)) {
                        baseline = pause;
                    }
                    System.out.printf(Locale.ROOT, "%s| %.2f |%n", row, pause / baseline);
                }
                System.out.println("\ntarget: pause p50 <= 5 ms with 1 MiB changed");
            }
        } finally {
            pair.down();
        }
    }

    /** One row: {@code size} bytes changed, {@code rounds} checkpoints. */
    private static String measure(NodeMBean checkpoints, int servicePort, long size, int rounds) throws Exception {
        long[] paused = new long[rounds];
        long[] sent = new long[rounds];
        long[][] steps = new long[4][rounds];
        try (Socket client = new Socket("127.0.0.1", servicePort)) {
            client.setSoTimeout(30_000);
            for (int round = 0; round < rounds; round++) {
                if (size > 0) {
                    mset(client, (int) (size / VALUE_BYTES), round);
                }
                long completed = completed(checkpoints);
                checkpoints.invoke("checkpointNow");
                checkpoints.await("checkpointed", bean -> completed(bean) > completed, STATE_TIMEOUT);
                CompositeData last = (CompositeData) checkpoints.attribute("LastCheckpoint");
                if (!(Boolean) last.get("completed")) {
                    throw new IllegalStateException("a checkpoint failed: " + last);
                }
                paused[round] = ((Number) last.get("pausedMicros")).longValue();
                sent[round] = ((Number) last.get("stateBytes")).longValue();
                CompositeData times = (CompositeData) checkpoints.attribute("LastStepMicros");
                String[] names = {"requestMicros", "captureMicros", "transferMicros", "loadMicros"};
                for (int i = 0; i < names.length; i++) {
                    steps[i][round] = ((Number) times.get(names[i])).longValue();
                }
            }
        }
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %d | %d | %d | %d ", human(size), median(sent),
                median(paused) / 1000.0, Arrays.stream(paused).max().orElse(0) / 1000.0, median(steps[0]),
                median(steps[1]), median(steps[2]), median(steps[3]));
    }

    private static long completed(NodeMBean checkpoints) {
        return ((Number) ((CompositeData) checkpoints.unchecked("Counts")).get("completed")).longValue();
    }

    /** One MSET of {@code keys} values of {@value #VALUE_BYTES} bytes, through the proxy; waits for its +OK. */
    private static void mset(Socket client, int keys, int round) throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.writeBytes(("*" + (1 + 2 * keys) + "\r\n$4\r\nMSET\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) ('a' + round % 26));
        for (int i = 0; i < keys; i++) {
            byte[] key = ("bench:" + i).getBytes(StandardCharsets.US_ASCII);
            command.writeBytes(("$" + key.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            command.writeBytes(key);
            command.writeBytes(("\r\n$" + VALUE_BYTES + "\r\n").getBytes(StandardCharsets.US_ASCII));
            command.writeBytes(value);
            command.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        OutputStream out = client.getOutputStream();
        out.write(command.toByteArray());
        out.flush();
        InputStream in = client.getInputStream();
        byte[] reply = in.readNBytes(5);
        if (!"+OK\r\n".equals(new String(reply, StandardCharsets.US_ASCII))) {
            throw new IOException("MSET answered " + new String(reply, StandardCharsets.US_ASCII));
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String human(long bytes) {
        return bytes == 0 ? "nothing" : bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
