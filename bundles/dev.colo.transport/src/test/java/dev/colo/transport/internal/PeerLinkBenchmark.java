package dev.colo.transport.internal;

import dev.colo.api.NodeId;
import dev.colo.api.Role;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.pair.TlsSettings;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerMessageListener;
import dev.colo.testing.TestPki;
import dev.colo.testing.ThisMachine;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Peer-link benchmark: two links in one JVM over real TLS 1.3 on loopback. Prints the round-trip time of a BULK
 * message of 64 KiB, 1 MiB and 4 MiB answered by a small CONTROL message (what a checkpoint's state transfer and
 * its "received" cost), then of a small CONTROL message answered on CONTROL, at steady state: each size is warmed up
 * (at least {@value #WARM_UP_SECONDS} s, and {@value #SMALL_WARM_UP_ROUNDS} rounds for the small one, so that the
 * JIT has compiled the path) before {@code bench.link.rounds} rounds are measured (default 200; the small message
 * ten times as many). Per size: p50 and p99, the effective BULK throughput, and the CPU time of the process (both
 * links) per round trip.
 *
 * <p>Run: {@code mvn -B -q -pl bundles/dev.colo.transport test-compile exec:java
 * -Dexec.mainClass=dev.colo.transport.internal.PeerLinkBenchmark -Dexec.classpathScope=test}.
 */
public final class PeerLinkBenchmark {
    private static final int[] SIZES = {64 << 10, 1 << 20, 4 << 20, 0};
    private static final int WARM_UP_SECONDS = 3;
    private static final int SMALL_WARM_UP_ROUNDS = 10_000;

    private PeerLinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.link.rounds", 200);
        TestPki pki = TestPki.shared();
        int portA = ThisMachine.freePort();
        int portB = ThisMachine.freePort();
        PeerLinkComponent a = new PeerLinkComponent(() -> settings(pki, "colo-a", Role.PRIMARY, portA, portB));
        PeerLinkComponent b = new PeerLinkComponent(() -> settings(pki, "colo-b", Role.SECONDARY, portB, portA));
        try {
            BlockingQueue<Long> answers = new ArrayBlockingQueue<>(16);
            b.addPeerMessageListener(message -> b.send(LinkChannel.CONTROL, "answer", new byte[8]),
                    Map.of(PeerMessageListener.TYPE_PROPERTY, "ask"));
            a.addPeerMessageListener(message -> answers.add(System.nanoTime()),
                    Map.of(PeerMessageListener.TYPE_PROPERTY, "answer"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (a.state() != LinkState.CONNECTED || b.state() != LinkState.CONNECTED) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the links did not connect");
                }
                Thread.sleep(10);
            }
            System.out.printf(Locale.ROOT, "%nPeer-link benchmark, %d cores, %d rounds, TLS 1.3 on loopback%n%n",
                    Runtime.getRuntime().availableProcessors(), rounds);
            System.out.println("| message | round trip p50 (µs) | p99 (µs) | throughput (MB/s) | CPU per round trip (µs) |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int size : SIZES) {
                LinkChannel channel = size == 0 ? LinkChannel.CONTROL : LinkChannel.BULK;
                byte[] payload = new byte[Math.max(8, size)];
                int measured = size == 0 ? rounds * 10 : rounds;
                long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
                for (int round = 0; round < (size == 0 ? SMALL_WARM_UP_ROUNDS : 1) || System.nanoTime() < warmUntil;
                        round++) {
                    roundTrip(a, channel, payload, answers);
                }
                long[] micros = new long[measured];
                long cpuBefore = os.getProcessCpuTime();
                for (int round = 0; round < measured; round++) {
                    micros[round] = roundTrip(a, channel, payload, answers) / 1000;
                }
                long cpuPerRound = (os.getProcessCpuTime() - cpuBefore) / measured / 1000;
                Arrays.sort(micros);
                long p50 = micros[measured / 2];
                System.out.printf(Locale.ROOT, "| %s %s | %d | %d | %s | %d |%n", channel,
                        size == 0 ? "8 B" : (size >> 10) + " KiB", p50, micros[measured * 99 / 100],
                        size == 0 ? "" : String.format(Locale.ROOT, "%.0f", size / (double) Math.max(1, p50)),
                        cpuPerRound);
            }
        } finally {
            a.deactivate();
            b.deactivate();
        }
    }

    /** One message and its answer, in nanoseconds. */
    private static long roundTrip(PeerLinkComponent from, LinkChannel channel, byte[] payload, BlockingQueue<Long> answers)
            throws InterruptedException {
        long start = System.nanoTime();
        from.send(channel, "ask", payload);
        Long answered = answers.poll(30, TimeUnit.SECONDS);
        if (answered == null) {
            throw new IllegalStateException("no answer within 30 s to a " + payload.length + "-byte message on " + channel);
        }
        return answered - start;
    }

    private static PairSettings settings(TestPki pki, String node, Role role, int listenPort, int peerPort) {
        TlsSettings tls = new TlsSettings(pki.keyStore(node), TestPki.PASSWORD,
                Optional.of(new TlsSettings.TrustStore(pki.trustStore(), TestPki.PASSWORD)), Optional.empty());
        return new PairSettings(new NodeId(node), role, "127.0.0.1", listenPort, "127.0.0.1", peerPort, tls,
                100, 1_000, 16 << 20, 50, 400);
    }
}
