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
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Peer-link benchmark: two links in one JVM over real TLS 1.3 on loopback. Prints the round-trip time of a
 * small CONTROL message answered on CONTROL, and of a BULK message of 64 KiB, 1 MiB and 4 MiB answered by a
 * small CONTROL message (what a checkpoint's state transfer and its "received" cost), as medians of
 * {@code bench.link.rounds} rounds (default 200), with the effective BULK throughput.
 *
 * <p>Run: {@code mvn -B -q -o -pl bundles/dev.colo.transport test-compile exec:java
 * -Dexec.mainClass=dev.colo.transport.internal.PeerLinkBenchmark -Dexec.classpathScope=test}.
 */
public final class PeerLinkBenchmark {
    private static final int[] SIZES = {0, 64 << 10, 1 << 20, 4 << 20};

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
            System.out.println("| message | round trip p50 (µs) | p99 (µs) | throughput (MB/s) |");
            System.out.println("| --- | ---: | ---: | ---: |");
            for (int size : SIZES) {
                LinkChannel channel = size == 0 ? LinkChannel.CONTROL : LinkChannel.BULK;
                byte[] payload = new byte[Math.max(8, size)];
                long[] micros = new long[rounds];
                for (int round = -rounds / 5; round < rounds; round++) { // the first fifth warms up
                    long start = System.nanoTime();
                    a.send(channel, "ask", payload);
                    long answered = answers.poll(30, TimeUnit.SECONDS);
                    if (round >= 0) {
                        micros[round] = (answered - start) / 1000;
                    }
                }
                Arrays.sort(micros);
                long p50 = micros[rounds / 2];
                System.out.printf(Locale.ROOT, "| %s %s | %d | %d | %s |%n", channel,
                        size == 0 ? "8 B" : (size >> 10) + " KiB", p50, micros[rounds * 99 / 100],
                        size == 0 ? "" : String.format(Locale.ROOT, "%.0f", size / (double) p50));
            }
        } finally {
            a.deactivate();
            b.deactivate();
        }
    }

    private static PairSettings settings(TestPki pki, String node, Role role, int listenPort, int peerPort) {
        TlsSettings tls = new TlsSettings(pki.keyStore(node), TestPki.PASSWORD,
                Optional.of(new TlsSettings.TrustStore(pki.trustStore(), TestPki.PASSWORD)), Optional.empty());
        return new PairSettings(new NodeId(node), role, "127.0.0.1", listenPort, "127.0.0.1", peerPort, tls,
                100, 1_000, 16 << 20, 50, 400);
    }
}
