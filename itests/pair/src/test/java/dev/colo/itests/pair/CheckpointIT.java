package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.NodeMBean;
import dev.colo.itests.support.Processes;
import dev.colo.itests.support.RedisCli;
import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.BlockingQueue;
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
 * The whole COLO loop of the real distribution's local pair, as {@code bin/colo pair up} makes it: the
 * reference guest on each node behind the proxy, the checkpoint coordinator protecting the pair, and Redis
 * clients on the service port. Checked through the doors a user has: {@code redis-cli} and
 * {@code redis-benchmark}, each node's guest port, and the Checkpoint and Proxy MXBeans over remote JMX.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckpointIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    private Path work;
    private LocalPair pair;
    private LocalPair.Node primary;
    private LocalPair.Node secondary;
    private int service;

    @BeforeAll
    void pairUp() throws Exception {
        Path distribution = Distribution.orSkip("checkpoints");
        for (String tool : List.of("redis-cli", "redis-benchmark")) {
            assumeTrue(ThisMachine.hasTool(tool), tool + " is not installed (apt-get install redis-tools): skipping the "
                    + "checkpoint test");
        }
        work = Distribution.work("checkpoint");
        pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT);
        primary = pair.node("colo-a");
        secondary = pair.node("colo-b");
        service = pair.service().port();
        try (NodeMBean checkpoints = checkpoints(primary); NodeMBean proxy = proxy(primary)) {
            checkpoints.await("protecting", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
            proxy.await("comparing", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
        }
    }

    @AfterAll
    void pairDown() {
        if (pair != null) {
            pair.down();
        }
    }

    @Test
    @Order(1)
    void protectionStartsWithAFullCheckpointAndClientsAreServedThroughTheProxy() throws Exception {
        try (NodeMBean checkpoints = checkpoints(primary)) {
            CompositeData counts = (CompositeData) checkpoints.attribute("Counts");
            assertTrue(((Number) counts.get("protect")).longValue() >= 1, counts.toString());
            CompositeData last = (CompositeData) checkpoints.attribute("LastCheckpoint");
            assertTrue((Boolean) last.get("completed"), last.toString());
        }
        assertEquals("OK", redis(service, "SET", "colo:greeting", "hello"));
        assertEquals("hello", redis(service, "GET", "colo:greeting"));
        assertEquals("hello", redis(primary.guestPort(), "GET", "colo:greeting"));
        assertEquals("hello", redis(secondary.guestPort(), "GET", "colo:greeting"),
                "the secondary's guest executed the mirrored command");
        try (NodeMBean proxy = proxy(primary)) {
            CompositeData statistics = (CompositeData) proxy.attribute("Statistics");
            assertEquals(0L, ((Number) statistics.get("miscompares")).longValue(), "deterministic: " + statistics);
        }
    }

    @Test
    @Order(2)
    void aNondeterministicReplyMiscomparesAndTheCheckpointReleasesThePrimarysReply() throws Exception {
        long before = miscompareCheckpoints();
        String time;
        try (NodeMBean proxy = NodeMBean.of(primary, "Proxy", "kv", "Statistics")) {
            BlockingQueue<Notification> notifications = proxy.notifications();
            time = redis(service, "LOCALTIME"); // each node's own clock (TIME is the primary's on both)
            Notification miscompare = NodeMBean.next(notifications, "dev.colo.proxy.miscompare", STATE_TIMEOUT);
            assertEquals("kv", ((CompositeData) miscompare.getUserData()).get("service"), miscompare.toString());
        }
        assertEquals(2, time.lines().count(), "the client got the primary's LOCALTIME: " + time);
        long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
        while (miscompareCheckpoints() == before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(miscompareCheckpoints() > before,
                "LOCALTIME differs between the guests: a checkpoint for MISCOMPARE");
        assertEquals("hello", redis(service, "GET", "colo:greeting"), "served on after the checkpoint");
    }

    /** The next {@code dev.colo.checkpoint.completed} notification for a checkpoint an operator asked for. */
    private static CompositeData operatorCheckpoint(BlockingQueue<Notification> notifications)
            throws InterruptedException {
        while (true) {
            CompositeData data = (CompositeData) NodeMBean.next(notifications, "dev.colo.checkpoint.completed",
                    STATE_TIMEOUT).getUserData();
            if (String.valueOf(data.get("reasons")).contains("OPERATOR")) {
                return data;
            }
        }
    }

    @Test
    @Order(3)
    void underRedisBenchmarkLoadACheckpointLeavesBothGuestsWithTheSameData() throws Exception {
        Processes.Result bench = Processes.run(List.of("redis-benchmark", "-p", Integer.toString(service), "-t",
                "set,get,incr,mset", "-n", "3000", "-c", "4", "-r", "100", "-q"), null, work.resolve("benchmark.log"),
                TOOL_TIMEOUT);
        assertEquals(0, bench.exit(), bench.output());
        assertFalse(bench.output().contains("ERR"), bench.output());
        try (NodeMBean checkpoints = checkpoints(primary); NodeMBean loaded = checkpoints(secondary)) {
            BlockingQueue<Notification> onPrimary = checkpoints.notifications();
            BlockingQueue<Notification> onSecondary = loaded.notifications();
            long completed = ((Number) ((CompositeData) checkpoints.attribute("Counts")).get("completed")).longValue();
            checkpoints.invoke("checkpointNow");
            checkpoints.await("checkpointed", bean -> ((Number) ((CompositeData) bean.unchecked("Counts"))
                    .get("completed")).longValue() > completed, STATE_TIMEOUT);
            assertTrue((Boolean) checkpoints.attribute("Protecting"), "still protected after the load");
            // over remote JMX, as JConsole gets them: the documented type and userData, on both nodes
            CompositeData done = operatorCheckpoint(onPrimary);
            assertTrue(((Number) done.get("epoch")).longValue() > 0, done.toString());
            assertEquals("primary", done.get("role"), done.toString());
            CompositeData load = operatorCheckpoint(onSecondary);
            assertEquals(done.get("epoch"), load.get("epoch"), "the secondary loaded the same checkpoint");
            assertEquals("secondary", load.get("role"), load.toString());
        }
        for (String key : List.of("counter:__rand_int__", "key:__rand_int__", "colo:greeting")) {
            assertEquals(redis(primary.guestPort(), "GET", key), redis(secondary.guestPort(), "GET", key), key);
        }
        assertEquals(redis(primary.guestPort(), "DBSIZE"), redis(secondary.guestPort(), "DBSIZE"));
    }

    @Test
    @Order(4)
    void aKilledSecondaryLeavesThePrimaryServingAndOnceBackAndReprotectedItCanTakeOverWithEveryWrite()
            throws Exception {
        LocalPair.kill(secondary);
        try (NodeMBean proxy = proxy(primary)) {
            proxy.await("forwarding directly", bean -> !(Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("OK", redis(service, "SET", "degraded:" + i, "v" + i), "served without a secondary");
        }
        secondary = pair.restart(secondary, PAIR_UP_TIMEOUT);
        try (NodeMBean checkpoints = checkpoints(primary); NodeMBean proxy = proxy(primary)) {
            checkpoints.await("protecting again", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
            proxy.await("comparing again", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
        }
        assertEquals("v49", redis(secondary.guestPort(), "GET", "degraded:49"),
                "the full checkpoint gave the returning secondary what was written without it");
        assertEquals("OK", redis(service, "SET", "protected:again", "yes"));
        LocalPair.kill(primary);
        long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
        while (true) {
            try {
                assertEquals("yes", redisQuiet(service, "GET", "protected:again"));
                break;
            } catch (IOException | AssertionError notYet) {
                assertTrue(System.nanoTime() < deadline, "the secondary did not take over: " + notYet);
                Thread.sleep(100);
            }
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("v" + i, redis(service, "GET", "degraded:" + i), "written while the secondary was away");
        }
    }

    /**
     * Fifty concurrent clients on shared keys (INCR of one counter, SET/GET/DEL of a few keys, TIME) through the
     * protected service: the secondary's guest follows the primary's execution order, so no reply differs and no
     * checkpoint is asked for a miscompare. Then {@code kill -9} of the primary under that load: the new primary's
     * counter holds every acknowledged increment (and at most those sent but never answered besides).
     */
    @Test
    @Order(5)
    void concurrentClientsOnSharedKeysCauseNoMiscompareAndAKillLosesNoIncrement() throws Exception {
        pair.reprotect(PAIR_UP_TIMEOUT); // the previous test left the other node primary, alone
        primary = pair.nodes().stream().filter(node -> "primary".equalsIgnoreCase(node.role())).findFirst()
                .orElseThrow();
        secondary = pair.node(primary.nodeId().equals("colo-a") ? "colo-b" : "colo-a");
        try (NodeMBean checkpoints = checkpoints(primary); NodeMBean proxy = proxy(primary)) {
            checkpoints.await("protecting", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
            proxy.await("comparing", bean -> (Boolean) bean.unchecked("Protecting"), STATE_TIMEOUT);
        }
        redis(service, "SET", "ordered:counter", "0");
        long before = miscompareCheckpoints();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong unanswered = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> wrong = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            int client = c;
            Thread thread = new Thread(() -> orderedClient(client, stop, acknowledged, unanswered, wrong));
            clients.add(thread);
            thread.start();
        }
        Thread.sleep(8_000);
        long miscomparesUnderLoad = miscompareCheckpoints() - before;
        assertTrue(acknowledged.get() > 500, "the clients were served: " + acknowledged + " increments");
        assertEquals(0, miscomparesUnderLoad, "no checkpoint for a miscompare with 50 clients on shared keys");
        LocalPair.kill(primary);
        Thread.sleep(2_000);
        stop.set(true);
        for (Thread thread : clients) {
            thread.join(TOOL_TIMEOUT.toMillis());
        }
        assertEquals(List.of(), wrong);
        long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
        String counter;
        while (true) {
            try {
                counter = redisQuiet(service, "GET", "ordered:counter");
                break;
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, "the secondary did not take over: " + notYet);
                Thread.sleep(100);
            }
        }
        long value = Long.parseLong(counter);
        assertTrue(value >= acknowledged.get() && value <= acknowledged.get() + unanswered.get(),
                "the counter " + value + " holds every one of " + acknowledged + " acknowledged increments (and at "
                        + "most " + unanswered + " sent and never answered)");
    }

    /** One client of the ordered load: stops at the first error (its connection ended with the primary). */
    private void orderedClient(int client, AtomicBoolean stop, AtomicLong acknowledged, AtomicLong unanswered,
            List<String> wrong) {
        java.util.Random random = new java.util.Random(client);
        try (dev.colo.testing.RespClient redis = new dev.colo.testing.RespClient(
                new java.net.InetSocketAddress("127.0.0.1", service))) {
            while (!stop.get()) {
                String key = "ordered:k" + random.nextInt(5);
                switch (random.nextInt(6)) {
                    case 0, 1, 2 -> {
                        String reply;
                        try {
                            reply = redis.call("INCR", "ordered:counter");
                        } catch (IOException e) {
                            unanswered.incrementAndGet();
                            return;
                        }
                        if (reply.startsWith(":")) {
                            acknowledged.incrementAndGet();
                        } else {
                            wrong.add("INCR answered " + reply.strip());
                        }
                    }
                    case 3 -> redis.call("SET", key, "v" + random.nextInt(100), "PX", "50");
                    case 4 -> redis.call(random.nextBoolean() ? "GET" : "DEL", key);
                    default -> redis.call("TIME");
                }
            }
        } catch (IOException e) {
            // the primary was killed: this client's connection ended
        }
    }

    /** {@link #redis}, failing with an IOException instead of an assertion when the service does not answer. */
    private String redisQuiet(int port, String... command) throws IOException, InterruptedException {
        Processes.Result result = RedisCli.run(work.resolve("redis-cli.log"), TOOL_TIMEOUT, port, command);
        if (result.exit() != 0 || result.output().contains("Could not connect")) {
            throw new IOException(result.output().strip());
        }
        return result.output().strip();
    }

    private long miscompareCheckpoints() throws IOException {
        try (NodeMBean checkpoints = checkpoints(primary)) {
            return ((Number) ((CompositeData) checkpoints.attribute("Counts")).get("miscompare")).longValue();
        }
    }

    private static NodeMBean checkpoints(LocalPair.Node node) throws IOException {
        return NodeMBean.at(node, "dev.colo:type=Checkpoint", "LastCheckpoint");
    }

    private static NodeMBean proxy(LocalPair.Node node) throws IOException {
        return NodeMBean.of(node, "Proxy", "kv", "Statistics");
    }

    private String redis(int port, String... command) throws IOException, InterruptedException {
        Processes.Result result = RedisCli.run(work.resolve("redis-cli.log"), TOOL_TIMEOUT, port, command);
        assertEquals(0, result.exit(), "redis-cli -p " + port + " " + String.join(" ", command) + ": " + result.output());
        return result.output().strip();
    }
}
