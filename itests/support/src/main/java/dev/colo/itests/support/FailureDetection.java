package dev.colo.itests.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/**
 * One failure-detection experiment through the doors an operator uses: {@code kill -9} of one node, then
 * the other node's {@code dev.colo:type=Node} {@code PeerHealth} read over JMX until it says DEAD.
 */
public final class FailureDetection {
    private static final Duration POLL = Duration.ofMillis(5);
    /** How long past the timeout to keep watching before giving up on seeing DEAD. */
    private static final Duration GIVE_UP_AFTER_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the survivor saw after the kill.
     *
     * @param suspectedMillis ms from the kill until PeerHealth first was not ALIVE, -1 if never
     * @param deadMillis      ms from the kill until PeerHealth was DEAD, -1 if never
     * @param timeoutMillis   the survivor's heartbeat.timeout.ms
     */
    public record Detection(long suspectedMillis, long deadMillis, long timeoutMillis) {
        public boolean seenDead() {
            return deadMillis >= 0;
        }

        /** Detection time as a fraction of the configured timeout. */
        public double ratioToTimeout() {
            return (double) deadMillis / timeoutMillis;
        }

        @Override
        public String toString() {
            return String.format("DEAD after %d ms (first not ALIVE after %d ms; heartbeat.timeout.ms %d, ratio %.2f)",
                    deadMillis, suspectedMillis, timeoutMillis, ratioToTimeout());
        }
    }

    private FailureDetection() {
    }

    /**
     * Kills {@code victim} with SIGKILL and measures how long {@code survivor} takes to report it DEAD.
     *
     * @throws IllegalStateException when the survivor does not report the peer ALIVE before the kill, or
     *                               the kill fails
     */
    public static Detection killAndWatch(LocalPair.Node victim, LocalPair.Node survivor, Path killLog)
            throws IOException, InterruptedException, JMException {
        long timeoutMs = survivor.heartbeatTimeoutMs();
        ObjectName node = new ObjectName("dev.colo:type=Node");
        try (JMXConnector connector = survivor.connectJmx()) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            String before = health(mbeans, node);
            if (!"ALIVE".equals(before)) {
                throw new IllegalStateException(survivor.nodeId() + " saw its peer " + before + " before the kill");
            }
            long killed = System.nanoTime();
            Processes.Result kill = Processes.run(List.of("kill", "-9", Long.toString(victim.pid())), null, killLog,
                    Duration.ofSeconds(10));
            if (kill.exit() != 0) {
                throw new IllegalStateException("kill -9 " + victim.pid() + " failed: " + kill.output());
            }
            return watch(mbeans, node, killed, timeoutMs);
        }
    }

    private static Detection watch(MBeanServerConnection mbeans, ObjectName node, long killed, long timeoutMs)
            throws IOException, InterruptedException, JMException {
        long suspectedMs = -1;
        long deadline = killed + TimeUnit.MILLISECONDS.toNanos(timeoutMs) + GIVE_UP_AFTER_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String health = health(mbeans, node);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            if (suspectedMs < 0 && !"ALIVE".equals(health)) {
                suspectedMs = elapsedMs;
            }
            if ("DEAD".equals(health)) {
                return new Detection(suspectedMs, elapsedMs, timeoutMs);
            }
            Thread.sleep(POLL.toMillis());
        }
        return new Detection(suspectedMs, -1, timeoutMs);
    }

    private static String health(MBeanServerConnection mbeans, ObjectName node) throws IOException, JMException {
        return String.valueOf(mbeans.getAttribute(node, "PeerHealth"));
    }
}
