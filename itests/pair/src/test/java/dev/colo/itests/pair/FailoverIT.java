package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.itests.support.LinkCut;
import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.NodeMBean;
import dev.colo.testing.RespClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.management.AttributeChangeNotification;
import javax.management.Notification;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failover of the real distribution's local pair with the reference guest: a primary that is frozen
 * (SIGSTOP: alive but unreachable), or cut off from its secondary by the network (nftables drops their traffic),
 * is not replaced while the fencing command fails; a primary killed with
 * {@code kill -9} in the middle of a stream of writes is replaced by the secondary, which serves the same
 * service port with every write a client saw acknowledged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);
    private static final String FAILOVER_CFG = "etc/dev.colo.failover.cfg";

    private Path work;
    private LocalPair pair;
    private LocalPair.Node primary;
    private LocalPair.Node secondary;
    private InetSocketAddress service;

    @BeforeAll
    void pairUp() throws Exception {
        Path distribution = Distribution.orSkip("failover");
        work = Distribution.work("failover");
        pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT);
        primary = pair.node("colo-a");
        secondary = pair.node("colo-b");
        service = new InetSocketAddress(pair.service().host(), pair.service().port());
        awaitProtected();
    }

    @AfterAll
    void pairDown() {
        if (pair != null) {
            primary.process().ifPresent(process -> LocalPair.signal(process.pid(), "CONT"));
            pair.down();
        }
    }

    @Test
    @Order(1)
    void aFrozenPrimaryIsNotReplacedWhileTheFencingCommandFails() throws Exception {
        withFailingFencing(() -> {
            LocalPair.signal(primary.pid(), "STOP"); // alive, but silent: the secondary sees it DEAD
            try {
                assertFailoverRefusedByFencing();
            } finally {
                LocalPair.signal(primary.pid(), "CONT");
            }
        });
        try (RespClient client = new RespClient(service)) {
            assertEquals("+PONG\r\n", client.call("PING"), "the thawed primary serves on");
        }
    }

    @Test
    @Order(2)
    void aPrimaryCutOffByTheNetworkServesOnAloneAndIsNotReplacedWhileTheFencingCommandFails() throws Exception {
        Optional<String> why = LinkCut.unavailable();
        assumeTrue(why.isEmpty(), "cannot cut the link with nftables here, skipping the partition test: "
                + why.orElse(""));
        int[] between = Stream.of(primary, secondary)
                .flatMapToInt(node -> IntStream.concat(IntStream.of(node.peerLinkPort()),
                        node.disks().stream().mapToInt(LocalPair.Disk::replicationPort)))
                .toArray();
        withFailingFencing(() -> {
            try (LinkCut cut = LinkCut.ports(between)) {
                assertFailoverRefusedByFencing();
                try (NodeMBean node = NodeMBean.at(primary, "dev.colo:type=Node", "PeerHealth")) {
                    node.await("secondary DEAD", bean -> "DEAD".equals(bean.unchecked("PeerHealth")), STATE_TIMEOUT);
                }
                try (RespClient client = new RespClient(service)) {
                    assertEquals("+OK\r\n", client.call("SET", "partitioned", "kept"), "the primary serves on degraded");
                }
            }
        });
        try (RespClient client = new RespClient(service)) {
            assertEquals("$4\r\nkept\r\n", client.call("GET", "partitioned"), "written while cut off, still there");
        }
    }

    /**
     * Runs {@code cutOff} with the secondary's fencing command failing, then puts fencing back to none and waits
     * until the pair is protected again.
     */
    private void withFailingFencing(ThrowingRunnable cutOff) throws Exception {
        Path cfg = secondary.home().resolve(FAILOVER_CFG);
        Files.writeString(cfg, "fencing = command\nfencing.command = echo cannot reach the power switch; exit 1\n");
        try (NodeMBean failover = failover(secondary)) {
            failover.await("configured with fencing", bean -> "command".equals(bean.unchecked("Fencing")),
                    STATE_TIMEOUT);
        }
        cutOff.run();
        Files.delete(cfg);
        try (NodeMBean failover = failover(secondary)) {
            failover.await("back to fencing none", bean -> "none".equals(bean.unchecked("Fencing")), STATE_TIMEOUT);
        }
        awaitProtected();
    }

    /** The secondary saw the primary DEAD, its fencing command failed, and it stayed the secondary. */
    private void assertFailoverRefusedByFencing() throws Exception {
        try (NodeMBean failover = failover(secondary)) {
            failover.await("refused by fencing", bean -> "FAILED".equals(bean.unchecked("State")), STATE_TIMEOUT);
            CompositeData last = (CompositeData) failover.attribute("LastFailover");
            assertTrue(String.valueOf(last.get("detail")).contains("exited 1"), last.toString());
        }
        try (NodeMBean node = NodeMBean.at(secondary, "dev.colo:type=Node", "Role")) {
            assertEquals("secondary", node.attribute("Role"), "no second primary");
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    @Order(3)
    void whenThePrimaryIsKilledTheSecondaryServesEveryAcknowledgedWrite() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        long lastAckBeforeKill = 0;
        long loadedBeforeKill = -1;
        long firstAckAfterKill = 0;
        long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
        int i = 0;
        RespClient client = null;
        NodeMBean failoverBean = failover(secondary);
        BlockingQueue<Notification> notifications = failoverBean.notifications();
        NodeMBean nodeBean = NodeMBean.at(secondary, "dev.colo:type=Node", "Role");
        BlockingQueue<Notification> nodeNotifications = nodeBean.notifications();
        while (System.nanoTime() < deadline && (firstAckAfterKill == 0 || acknowledged.size() < 400)) {
            try {
                if (client == null) {
                    client = new RespClient(service);
                }
                String key = "acked:" + i;
                if ("+OK\r\n".equals(client.call("SET", key, "value-" + i))) {
                    acknowledged.add(key);
                    if (killed.get() && firstAckAfterKill == 0) {
                        firstAckAfterKill = System.nanoTime();
                    } else if (!killed.get()) {
                        lastAckBeforeKill = System.nanoTime();
                    }
                }
                i++;
            } catch (IOException e) {
                closeQuietly(client);
                client = null;
                Thread.sleep(20); // the service moves: try again
            }
            if (acknowledged.size() == 200 && !killed.get()) {
                loadedBeforeKill = checkpointEpoch(secondary);
                lastAckBeforeKill = System.nanoTime();
                primary.process().ifPresent(ProcessHandle::destroyForcibly); // kill -9, not waiting for the exit
                killed.set(true);
            }
        }
        closeQuietly(client);
        assertTrue(firstAckAfterKill > 0, "no write acknowledged after the primary was killed");
        System.out.printf("[driver] failover gap as the client saw it: %d ms (%d writes acknowledged)%n",
                (firstAckAfterKill - lastAckBeforeKill) / 1_000_000, acknowledged.size());
        try (NodeMBean failover = failoverBean) {
            assertEquals("COMPLETED", failover.attribute("State"));
            // what JConsole shows: each transition as dev.colo.failover.state-changed, then the State attribute
            for (String state : List.of("REQUESTED", "ACTIVE", "COMPLETED")) {
                Notification changed = NodeMBean.next(notifications, "dev.colo.failover.state-changed", STATE_TIMEOUT);
                assertEquals(state, ((CompositeData) changed.getUserData()).get("current"), changed.toString());
                AttributeChangeNotification attribute = (AttributeChangeNotification) NodeMBean.next(notifications,
                        AttributeChangeNotification.ATTRIBUTE_CHANGE, STATE_TIMEOUT);
                assertEquals("State", attribute.getAttributeName());
                assertEquals(state, attribute.getNewValue());
            }
        }
        assertTrue(loadedBeforeKill > 0, "the secondary had loaded checkpoints");
        assertTrue(checkpointEpoch(secondary) >= loadedBeforeKill, "the new primary's epochs go on from the last it "
                + "loaded, not from 1: " + checkpointEpoch(secondary) + " < " + loadedBeforeKill);
        try (RespClient check = new RespClient(service)) {
            for (String key : acknowledged) {
                assertEquals("$" + ("value-" + key.substring(6)).length() + "\r\nvalue-" + key.substring(6) + "\r\n",
                        check.call("GET", key), key + " was acknowledged");
            }
        }
        try (NodeMBean node = nodeBean) {
            assertEquals("primary", node.attribute("Role"));
            AttributeChangeNotification role;
            do { // PeerHealth and LinkState changed too
                role = (AttributeChangeNotification) NodeMBean.next(nodeNotifications,
                        AttributeChangeNotification.ATTRIBUTE_CHANGE, STATE_TIMEOUT);
            } while (!role.getAttributeName().equals("Role"));
            assertEquals(List.of("Role", "secondary", "primary"), List.of(role.getAttributeName(), role.getOldValue(),
                    role.getNewValue()), role.toString());
        }
        String log = Files.readString(secondary.home().resolve("data/log/karaf.log"));
        assertTrue(log.contains("FENCING IS OFF"), "a failover without fencing is logged loudly");
    }

    @Test
    @Order(4)
    void theOldPrimaryComesBackAsSecondaryAndTheNextFailoverKeepsEveryWriteToo() throws Exception {
        Map<String, Object> report = pair.reprotect(PAIR_UP_TIMEOUT);
        assertEquals(Map.of("primary", "colo-b", "secondary", "colo-a", "protected", true),
                Map.of("primary", report.get("primary"), "secondary", report.get("secondary"), "protected",
                        report.get("protected")), "bin/colo reprotect --json: " + report);
        primary = pair.node("colo-b");
        secondary = pair.node("colo-a");
        assertEquals("primary", primary.role());
        assertEquals("secondary", secondary.role(), "the old primary came back as the secondary");
        awaitProtected();
        try (NodeMBean failover = failover(primary)) {
            CompositeData progress = (CompositeData) failover.attribute("Reprotection");
            assertEquals("PROTECTED", progress.get("phase"), progress.toString());
            assertEquals(100, progress.get("resyncPercent"), progress.toString());
            assertEquals("already protected", failover.invoke("reprotect"));
        }
        try (NodeMBean failover = failover(secondary)) {
            assertTrue(String.valueOf(failover.invoke("reprotect")).startsWith("refused: this node is the secondary"));
        }
        try (RespClient client = new RespClient(service)) {
            assertEquals("$9\r\nvalue-199\r\n", client.call("GET", "acked:199"), "written before the first failover");
            for (int i = 0; i < 100; i++) {
                assertEquals("+OK\r\n", client.call("SET", "second:" + i, "v" + i));
            }
        }
        LocalPair.kill(primary);
        try (NodeMBean failover = failover(secondary)) {
            failover.await("completed", bean -> "COMPLETED".equals(bean.unchecked("State")), STATE_TIMEOUT);
        }
        long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
        while (true) {
            try (RespClient client = new RespClient(service)) {
                for (int i = 0; i < 100; i++) {
                    assertEquals("$" + ("v" + i).length() + "\r\nv" + i + "\r\n", client.call("GET", "second:" + i));
                }
                assertEquals("$9\r\nvalue-199\r\n", client.call("GET", "acked:199"));
                return;
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, "the service did not come back on colo-a: " + notYet);
                Thread.sleep(50);
            }
        }
    }

    @Test
    @Order(5)
    void anOldPrimaryRestartedAsPrimaryMeetsTheNewOneAndStepsDown() throws Exception {
        LocalPair.Node old = pair.restart(pair.node("colo-b"), PAIR_UP_TIMEOUT); // its files still say primary
        try (NodeMBean node = NodeMBean.at(old, "dev.colo:type=Node", "Role")) {
            node.await("stepped down", bean -> "secondary".equals(bean.unchecked("Role")), STATE_TIMEOUT);
        }
        primary = pair.node("colo-a");
        secondary = old;
        awaitProtected();
        try (RespClient client = new RespClient(service)) {
            assertEquals("$2\r\nv7\r\n", client.call("GET", "second:7"), "served by the primary that stayed");
        }
    }

    private void awaitProtected() throws IOException, InterruptedException {
        try (NodeMBean checkpoints = NodeMBean.at(primary, "dev.colo:type=Checkpoint", "LastCheckpoint")) {
            checkpoints.await("protecting", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
        }
        try (NodeMBean proxy = NodeMBean.of(primary, "Proxy", "kv", "Statistics")) {
            proxy.await("comparing", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
        }
    }

    /** The node's Checkpoint Epoch, once its coordinator is registered (it restarts with a change of role). */
    private static long checkpointEpoch(LocalPair.Node node) throws IOException, InterruptedException {
        try (NodeMBean checkpoints = NodeMBean.at(node, "dev.colo:type=Checkpoint", "Epoch")) {
            checkpoints.await("a coordinator", bean -> bean.unchecked("Epoch") != null, STATE_TIMEOUT);
            return ((Number) checkpoints.attribute("Epoch")).longValue();
        }
    }

    private static NodeMBean failover(LocalPair.Node node) throws IOException {
        return NodeMBean.at(node, "dev.colo:type=Failover", "LastFailover");
    }

    private static void closeQuietly(RespClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }
}
