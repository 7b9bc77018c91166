package dev.colo.itests.support;

import dev.colo.testing.RespClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults of the reference guest, on the primary, under client load: large values while the secondary is dead (the
 * guest must stay within its memory bound, answering every request, with -OOM where the bound refuses); an error
 * that kills one of the guest's I/O threads ({@code DEBUG PANIC}); a command that hangs it ({@code DEBUG SLEEP}
 * beyond the watchdog's timeout); failures beyond its restart window (the secondary takes over). After each: the guest
 * restarted (its MXBean counts it), the node's health OK again, one primary, the pair protected again, no
 * acknowledged write lost.
 */
final class GuestFaults {
    private static final String GUEST_CFG = "etc/dev.colo.guest.kv.cfg";
    private static final String GUEST = "dev.colo:type=Guest,name=\"kv\"";
    private static final int LARGE_VALUES = 30;
    private static final int LARGE_VALUE_BYTES = 6_600_000;
    /** Restarts of a failed guest within ten minutes (the appliance's RestartWindow.LIMIT). */
    private static final int RESTART_LIMIT = 3;

    private final FaultSuite suite;
    private final LocalPair pair;
    private final PrintStream out;
    private boolean enabled;

    GuestFaults(FaultSuite suite, LocalPair pair, PrintStream out) {
        this.suite = suite;
        this.pair = pair;
        this.out = out;
    }

    void run(int round, ClientLoad load) throws Exception {
        largeValuesWhileTheSecondaryIsDead(round, load);
        lonePrimaryKilledDuringLargeWrites(round, load);
        enable();
        ioThreadDies(round, load);
        guestHangs(round, load);
        failsBeyondItsRestartWindow(round, load);
    }

    /** The reproduction: every large SET answered (+OK or -OOM), the guest's memory within its bound. */
    private void largeValuesWhileTheSecondaryIsDead(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        out.printf("[faults] round %d: %d SETs of %d bytes while the secondary %s is dead%n", round, LARGE_VALUES,
                LARGE_VALUE_BYTES, secondary.nodeId());
        LocalPair.kill(secondary);
        try (NodeMBean node = NodeMBean.at(primary, "dev.colo:type=Node", "PeerHealth")) {
            node.await("the secondary DEAD", bean -> "DEAD".equals(bean.unchecked("PeerHealth")),
                    PairChecks.STATE_TIMEOUT);
        }
        String value = "x".repeat(LARGE_VALUE_BYTES);
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        int stored = 0;
        int refused = 0;
        long started = System.nanoTime();
        try (RespClient client = new RespClient(service)) {
            for (int i = 0; i < LARGE_VALUES; i++) {
                String reply = client.call("SET", "big" + i, value);
                if (reply.equals("+OK\r\n")) {
                    stored++;
                } else if (reply.startsWith("-OOM ")) {
                    refused++;
                } else {
                    throw new AssertionError("SET big" + i + ": neither +OK nor -OOM: " + reply.strip());
                }
            }
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
            out.printf("[faults] %d stored, %d refused at the memory bound, in %d s%n", stored, refused, seconds);
            check(refused > 0, "no SET was refused: " + stored + " of " + LARGE_VALUES + " values of "
                    + LARGE_VALUE_BYTES + " bytes stored");
            check(client.call("PING").equals("+PONG\r\n"), "the service does not answer PING after the large values");
        }
        try (NodeMBean guest = NodeMBean.at(primary, GUEST, "UsedMemoryBytes")) {
            long used = ((Number) guest.attribute("UsedMemoryBytes")).longValue();
            long max = ((Number) guest.attribute("MaxMemoryBytes")).longValue();
            check(used <= max, "the guest uses " + used + " bytes, above its bound of " + max);
            check(((Number) guest.attribute("RefusedWrites")).longValue() >= refused, "RefusedWrites does not count "
                    + refused + " refusals");
        }
        healthOk(primary);
        try (RespClient client = new RespClient(service)) {
            for (int i = 0; i < LARGE_VALUES; i++) {
                client.call("DEL", "big" + i); // the room the rest of the run needs
            }
        }
        suite.count("large values, secondary dead");
        pair.restart(secondary, FaultSuite.CLI_TIMEOUT);
        suite.awaitProtected();
        suite.check(load, "after large values while the secondary was dead, round " + round);
    }

    /**
     * The dirty bitmap's crash safety: the secondary killed, the primary killed while alone in the middle of large
     * writes, the primary restarted (alone), then the secondary: re-protected, the disks identical ({@code qemu-img
     * compare}) and every acknowledged write there, the large ones included.
     */
    private void lonePrimaryKilledDuringLargeWrites(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        out.printf("[faults] round %d: kill -9 of the lone primary %s during large writes%n", round,
                primary.nodeId());
        LocalPair.kill(secondary);
        try (NodeMBean node = NodeMBean.at(primary, "dev.colo:type=Node", "PeerHealth")) {
            node.await("the secondary DEAD", bean -> "DEAD".equals(bean.unchecked("PeerHealth")),
                    PairChecks.STATE_TIMEOUT);
        }
        InetSocketAddress service = new InetSocketAddress(pair.service().host(), pair.service().port());
        List<Integer> acknowledged = new CopyOnWriteArrayList<>();
        AtomicInteger attempted = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (RespClient client = new RespClient(service)) {
                for (int i = 0; ; i++) {
                    attempted.set(i + 1);
                    if (client.call("SET", "large" + i, largeValue(i)).equals("+OK\r\n")) {
                        acknowledged.add(i);
                    }
                }
            } catch (IOException killed) {
                // the primary is gone: what was acknowledged until then must survive
            }
        }, "large-writes");
        writer.start();
        Thread.sleep(1_500);
        LocalPair.kill(primary);
        writer.join(30_000);
        out.printf("[faults] %d large writes acknowledged before the kill%n", acknowledged.size());
        pair.restart(primary, FaultSuite.CLI_TIMEOUT);
        pair.restart(secondary, FaultSuite.CLI_TIMEOUT);
        suite.awaitProtected();
        try (RespClient client = new RespClient(service)) {
            for (int i : acknowledged) {
                check(client.call("GET", "large" + i).equals("$" + LARGE_WRITE_BYTES + "\r\n" + largeValue(i) + "\r\n"),
                        "acknowledged large write large" + i + " lost after the lone primary was killed");
            }
            for (int i = 0; i < attempted.get(); i++) {
                client.call("DEL", "large" + i);
            }
        }
        suite.count("kill -9 lone primary, large writes");
        PairChecks.disksIdentical(pair, load, "after the lone primary was killed during large writes, round " + round);
        suite.check(load, "after the lone primary was killed during large writes, round " + round);
    }

    private static final int LARGE_WRITE_BYTES = 1 << 20;

    private static String largeValue(int i) {
        String head = "large" + i + ":";
        return head + "y".repeat(LARGE_WRITE_BYTES - head.length());
    }

    /** {@code debug.commands = true} on both nodes (their guests restart with it), once per pair. */
    private void enable() throws Exception {
        if (enabled) {
            return;
        }
        for (LocalPair.Node node : pair.nodes()) {
            Files.writeString(node.home().resolve(GUEST_CFG), "debug.commands = true\n", StandardOpenOption.APPEND);
        }
        enabled = true;
        Thread.sleep(3_000); // FileInstall polls every second; the guests then restart
        suite.awaitProtected();
    }

    private void ioThreadDies(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        out.printf("[faults] round %d: DEBUG PANIC kills an I/O thread of the primary %s's guest%n", round,
                primary.nodeId());
        injectAndAwaitRestart(primary, "DEBUG PANIC", "DEBUG PANIC");
        suite.count("guest I/O thread died");
        suite.check(load, "after a guest I/O thread died, round " + round);
    }

    private void guestHangs(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        out.printf("[faults] round %d: DEBUG SLEEP 30 hangs the primary %s's guest%n", round, primary.nodeId());
        injectAndAwaitRestart(primary, "DEBUG SLEEP 30", "none completed");
        suite.count("guest hung");
        suite.check(load, "after the guest hung, round " + round);
    }

    /**
     * The primary's guest failing again and again ({@code DEBUG PANIC}) until its restart window is spent: it stays
     * stopped, and the secondary, which holds its state, takes over (a hand-over); the old primary, its node
     * restarted, is re-protected as the secondary. Nothing acknowledged is lost on the way.
     */
    private void failsBeyondItsRestartWindow(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        LocalPair.Node secondary = suite.node("secondary");
        out.printf("[faults] round %d: the primary %s's guest fails beyond its restart window%n", round,
                primary.nodeId());
        boolean stopped = false;
        for (int i = 0; i <= RESTART_LIMIT && !stopped; i++) {
            int restarts;
            try (NodeMBean guest = NodeMBean.at(primary, GUEST, "Restarts")) {
                restarts = ((Number) guest.attribute("Restarts")).intValue();
            }
            try (Socket panic = open(primary, "DEBUG PANIC");
                    NodeMBean guest = NodeMBean.at(primary, GUEST, "Restarts")) {
                guest.await("the guest restarted or stopped for good", bean ->
                        !Boolean.TRUE.equals(bean.unchecked("Running"))
                                || ((Number) bean.unchecked("Restarts")).intValue() > restarts,
                        PairChecks.STATE_TIMEOUT);
                // a restarted guest is Running again; one beyond its window stays stopped
                stopped = !waitRunning(guest);
            }
        }
        check(stopped, "the guest on " + primary.nodeId() + " was restarted beyond its window of "
                + RESTART_LIMIT);
        try (NodeMBean taken = NodeMBean.at(secondary, "dev.colo:type=Node", "Role");
                NodeMBean demoted = NodeMBean.at(primary, "dev.colo:type=Node", "Role")) {
            taken.await(secondary.nodeId() + " took over", bean -> "primary".equals(bean.unchecked("Role")),
                    PairChecks.STATE_TIMEOUT);
            demoted.await(primary.nodeId() + " handed over", bean -> "secondary".equals(bean.unchecked("Role")),
                    PairChecks.STATE_TIMEOUT);
        }
        try (NodeMBean guest = NodeMBean.at(primary, GUEST, "Running")) {
            check(!waitRunning(guest), "the guest on " + primary.nodeId() + " came back by itself after it failed "
                    + "beyond its restart window");
        }
        suite.count("guest beyond its restart window (hand-over)");
        LocalPair.kill(primary);
        pair.restart(primary, FaultSuite.CLI_TIMEOUT);
        pair.refreshRoles();
        suite.awaitProtected();
        healthOk(pair.node(primary.nodeId()));
        suite.check(load, "after the hand-over of a guest beyond its restart window, round " + round);
    }

    /** Whether the guest runs, given a moment to come up after a restart. */
    private static boolean waitRunning(NodeMBean guest) throws IOException, InterruptedException {
        try {
            guest.await("running", bean -> Boolean.TRUE.equals(bean.unchecked("Running")), Duration.ofSeconds(5));
            return true;
        } catch (AssertionError notRunning) {
            return false;
        }
    }

    /** A connection to the guest itself (not through the proxy) that sent {@code command}. */
    private static Socket open(LocalPair.Node node, String command) throws IOException {
        Socket socket = new Socket("127.0.0.1", node.guestPort());
        socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Sends {@code command} to the guest itself (not through the proxy) and waits until it was restarted. */
    private void injectAndAwaitRestart(LocalPair.Node node, String command, String failure) throws Exception {
        int restarts;
        try (NodeMBean guest = NodeMBean.at(node, GUEST, "Restarts")) {
            restarts = ((Number) guest.attribute("Restarts")).intValue();
        }
        try (Socket socket = open(node, command)) {
            try (NodeMBean guest = NodeMBean.at(node, GUEST, "Restarts")) {
                guest.await("the guest restarted after " + command, bean ->
                        ((Number) bean.unchecked("Restarts")).intValue() > restarts
                                && Boolean.TRUE.equals(bean.unchecked("Running")), PairChecks.STATE_TIMEOUT);
                String last = String.valueOf(guest.attribute("LastFailure"));
                check(last.contains(failure), "LastFailure after " + command + " does not say '" + failure + "': "
                        + last);
            }
        }
        healthOk(node);
        suite.awaitProtected();
    }

    private static void healthOk(LocalPair.Node node) throws IOException, InterruptedException {
        try (NodeMBean bean = NodeMBean.at(node, "dev.colo:type=Node", "Health")) {
            bean.await("the node's health OK", b -> "OK".equals(b.unchecked("Health")), Duration.ofSeconds(30));
        }
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
