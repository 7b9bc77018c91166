package dev.colo.guest.kv.internal.store;

import static dev.colo.guest.kv.internal.store.Words.command;
import static dev.colo.guest.kv.internal.store.Words.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.guest.kv.internal.order.Follower;
import dev.colo.guest.kv.internal.order.OrderCodec;
import dev.colo.guest.kv.internal.order.OrderEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The primary's execution order, followed by a secondary store: concurrent connections on shared keys, the clock
 * moving, expiries deciding replies; the secondary, fed the commands and the order interleaved at random (and with a
 * clock of its own that is wrong), replies byte for byte as the primary did.
 */
class ExecutionOrderTest {
    /** A disk that takes everything, sometimes slowly (so that batches form). */
    private static final class SlowDisk implements Durability {
        private final Random random;

        SlowDisk(long seed) {
            random = new Random(seed);
        }

        @Override
        public synchronized boolean append(List<Mutation> batch) {
            if (random.nextInt(3) == 0) {
                LockSupport.parkNanos(random.nextInt(300_000));
            }
            return true;
        }

        @Override
        public void compact(Collection<Mutation> everything) {
        }

        @Override
        public byte[] cursor() {
            return new byte[0];
        }

        @Override
        public void continueAt(byte[] cursor) {
        }
    }

    private final List<KvStore> stores = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        threads.shutdownNow();
        stores.forEach(KvStore::close);
    }

    private KvStore store(long seed, java.util.function.LongSupplier clock) {
        KvStore store = new KvStore(new SlowDisk(seed), clock, 64L << 20, 64, 1L << 20);
        store.start(Thread::new);
        stores.add(store);
        return store;
    }


    /** A random command on few keys: shared counters, values that expire within milliseconds, the clock. */
    private static List<byte[]> randomCommand(Random random) {
        String key = "k" + random.nextInt(4);
        return switch (random.nextInt(9)) {
            case 0, 1 -> command("INCR", "counter" + random.nextInt(2));
            case 2 -> command("SET", key, "v" + random.nextInt(1000), "PX", Integer.toString(1 + random.nextInt(5)));
            case 3 -> command("SET", key, "w" + random.nextInt(1000));
            case 4 -> command("GET", key);
            case 5 -> command("TIME");
            case 6 -> command("DEL", key, "counter" + random.nextInt(2));
            case 7 -> command("MSET", key, "m", "k" + random.nextInt(4), "n");
            default -> command("INCRBY", "counter" + random.nextInt(2), Integer.toString(random.nextInt(7) - 3));
        };
    }

    /** What the primary did: each connection's commands and replies, and the order it published. */
    private record PrimaryRun(Map<Long, List<List<byte[]>>> commands, Map<Long, List<String>> replies,
            List<byte[]> order) {
    }

    private PrimaryRun runPrimary(long seed, int connections, int perConnection) throws Exception {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        KvStore primary = store(seed, clock::get);
        List<byte[]> order = new CopyOnWriteArrayList<>();
        primary.lead(order::add);
        Map<Long, List<List<byte[]>>> commands = new HashMap<>();
        Map<Long, List<String>> replies = new ConcurrentHashMap<>();
        List<Future<?>> clients = new ArrayList<>();
        for (long c = 0; c < connections; c++) {
            long connection = 100 + c * 7; // ids as the proxies give them: not 0..n
            Random random = new Random(seed * 1000 + c);
            List<List<byte[]>> sent = new ArrayList<>();
            for (int i = 0; i < perConnection; i++) {
                sent.add(randomCommand(random));
            }
            commands.put(connection, sent);
            List<String> got = new CopyOnWriteArrayList<>();
            replies.put(connection, got);
            ClientReplies client = primary.client(connection, reply -> got.add(text(reply)));
            clients.add(threads.submit(() -> {
                for (List<byte[]> next : sent) {
                    if (random.nextInt(4) == 0) {
                        clock.addAndGet(random.nextInt(3)); // the clock moves while commands run
                    }
                    primary.submit(client, next);
                    if (random.nextInt(8) == 0) {
                        LockSupport.parkNanos(random.nextInt(200_000));
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get();
        }
        long total = (long) connections * perConnection;
        await().atMost(Duration.ofSeconds(30)).until(() -> replies.values().stream().mapToInt(List::size).sum() == total
                && primary.orderShipped()[0] == total);
        return new PrimaryRun(commands, replies, order);
    }

    /** The secondary: a store of its own (its clock far off) behind a follower. */
    private final class Secondary {
        final KvStore store = store(99, () -> 1_500_000_000_000L);
        final Map<Long, ClientReplies> clients = new ConcurrentHashMap<>();
        final Map<Long, List<String>> replies = new ConcurrentHashMap<>();
        final List<String> gaveUp = new CopyOnWriteArrayList<>();
        volatile boolean paused;
        final Follower<ClientReplies> follower = new Follower<>((client, words, clockMicros) -> {
            if (paused) {
                return false;
            }
            try {
                store.submit(client, words, clockMicros);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return true;
        }, gaveUp::add, 60_000);

        void connect(long connection) {
            List<String> got = new CopyOnWriteArrayList<>();
            replies.put(connection, got);
            clients.put(connection, store.client(connection, reply -> got.add(text(reply))));
        }
    }

    @Test
    void aSecondaryFollowingTheOrderRepliesExactlyAsThePrimaryDid() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            PrimaryRun primary = runPrimary(seed, 8, 300);
            Secondary secondary = replay(primary, seed, true);
            for (long connection : primary.commands().keySet()) {
                assertEquals(primary.replies().get(connection), secondary.replies.get(connection),
                        "seed " + seed + ", connection " + connection + ": the secondary's replies");
            }
            assertEquals(List.of(), secondary.gaveUp, "seed " + seed);
            assertEquals(8 * 300, secondary.follower.entriesApplied());
        }
    }

    /** The workload is one where order matters: run as the commands arrive, the secondary's replies differ. */
    @Test
    void withoutTheOrderTheSameWorkloadDiverges() throws Exception {
        PrimaryRun primary = runPrimary(1, 8, 300);
        Secondary secondary = replay(primary, 1, false);
        assertFalse(primary.replies().equals(secondary.replies), "the replies of a secondary that does not follow");
    }

    private Secondary replay(PrimaryRun primary, long seed, boolean follow) throws Exception {
        {
            Secondary secondary = new Secondary();
            primary.commands().keySet().forEach(secondary::connect);
            if (follow) {
                secondary.follower.restored(Map.of()); // the primary led from the start: no command in the state
            }
            Random random = new Random(seed);
            Map<Long, Integer> sent = new HashMap<>();
            primary.commands().keySet().forEach(connection -> sent.put(connection, 0));
            int orderSent = 0;
            List<Long> open = new ArrayList<>(primary.commands().keySet());
            while (!open.isEmpty() || orderSent < primary.order().size()) {
                if (random.nextBoolean() && orderSent < primary.order().size()) {
                    List<OrderEntry> entries = OrderCodec.decode(ByteBuffer.wrap(primary.order().get(orderSent++)));
                    secondary.follower.order(entries, System.nanoTime());
                } else if (!open.isEmpty()) {
                    long connection = open.get(random.nextInt(open.size()));
                    int next = sent.merge(connection, 1, Integer::sum) - 1;
                    secondary.follower.command(connection, secondary.clients.get(connection),
                            primary.commands().get(connection).get(next),
                            System.nanoTime());
                    if (next + 1 == primary.commands().get(connection).size()) {
                        open.remove(connection);
                    }
                }
                if (random.nextInt(40) == 0) { // a checkpoint's pause: nothing runs meanwhile, then what waited does
                    secondary.paused = !secondary.paused;
                    if (!secondary.paused) {
                        secondary.follower.poke(System.nanoTime());
                    }
                }
            }
            secondary.paused = false;
            secondary.follower.poke(System.nanoTime());
            await().atMost(Duration.ofSeconds(30)).until(() -> primary.commands().keySet().stream().allMatch(
                    connection -> secondary.replies.get(connection).size() == primary.replies().get(connection).size()));
            return secondary;
        }
    }

    /** An entry whose command never comes: the follower gives up at the timeout, says why, and runs the rest. */
    @Test
    void aCommandThatNeverArrivesEndsFollowingAtTheTimeoutNotAHang() throws Exception {
        Secondary secondary = new Secondary();
        secondary.connect(1);
        secondary.connect(2);
        secondary.follower.restored(Map.of());
        long start = System.nanoTime();
        secondary.follower.order(List.of(new OrderEntry(1, 0, 1_000), new OrderEntry(2, 0, 2_000)), start);
        // connection 1's command never comes
        secondary.follower.command(2, secondary.clients.get(2L), command("SET", "a", "1"), start);
        assertEquals(List.of(), secondary.replies.get(2L), "waits for connection 1's command first");
        assertTrue(secondary.follower.check(start + 59_000_000_000L).isEmpty(), "within the timeout");
        assertTrue(secondary.follower.check(start + 61_000_000_000L).orElseThrow().contains("did not arrive"));
        assertEquals(List.of("command 0 of connection 1 did not arrive within 60000 ms"), secondary.gaveUp);
        await().atMost(Duration.ofSeconds(10)).until(() -> secondary.replies.get(2L).equals(List.of("+OK\r\n")));
        secondary.follower.command(1, secondary.clients.get(1L), command("GET", "a"), start);
        await().atMost(Duration.ofSeconds(10)).until(() -> secondary.replies.get(1L).size() == 1);
        assertFalse(secondary.follower.following());
    }

    /** An order that cannot be right (a command ordered twice) ends following at once. */
    @Test
    void aCommandOrderedTwiceEndsFollowing() {
        Secondary secondary = new Secondary();
        secondary.connect(1);
        secondary.follower.restored(Map.of());
        secondary.follower.command(1, secondary.clients.get(1L), command("INCR", "c"), 0);
        secondary.follower.order(List.of(new OrderEntry(1, 0, 1_000)), 0);
        secondary.follower.order(List.of(new OrderEntry(1, 0, 1_000)), 0);
        assertEquals(List.of("command 0 of connection 1 is ordered again"), secondary.gaveUp);
    }

    /**
     * After a checkpoint's state is loaded, the commands it holds the effect of are not run again (queued or still to
     * come), and those run unordered before that the state does not hold run again in the primary's order.
     */
    @Test
    void aLoadedStateSkipsWhatItHoldsAndRunsAgainWhatItDoesNot() throws Exception {
        Secondary secondary = new Secondary();
        secondary.connect(1);
        secondary.connect(2);
        // not following yet: commands run as they arrive
        secondary.follower.command(1, secondary.clients.get(1L), command("INCR", "c"), 0);
        secondary.follower.command(1, secondary.clients.get(1L), command("INCR", "c"), 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> secondary.replies.get(1L).size() == 2);
        // the state: connection 1's first command only (counter at 1); connection 2's first two (not read here yet)
        secondary.store.restore(stateWithCounter(1), true);
        secondary.follower.restored(Map.of(1L, 1L, 2L, 2L));
        ClientReplies two = secondary.clients.get(2L);
        secondary.follower.command(2, two, command("INCR", "c"), 0); // index 0: in the state
        secondary.follower.command(2, two, command("INCR", "c"), 0); // index 1: in the state
        secondary.follower.command(2, secondary.clients.get(2L), command("INCRBY", "c", "10"), 0);
        secondary.follower.order(List.of(new OrderEntry(2, 2, 5_000), new OrderEntry(1, 1, 6_000)), 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> secondary.replies.get(2L).size() == 1
                && secondary.replies.get(1L).size() == 3);
        assertEquals(List.of(":11\r\n"), secondary.replies.get(2L));
        assertEquals(":12\r\n", secondary.replies.get(1L).get(2), "connection 1's second INCR ran again, after 2's");
        assertEquals(List.of(), secondary.gaveUp);
    }

    /**
     * An entry of a command the loaded state holds, published by the primary after it took that state (a read whose
     * reply left before the log writer published it), is stale: skipped, not an order that cannot be right.
     */
    @Test
    void anEntryForACommandTheLoadedStateHoldsIsSkipped() throws Exception {
        Secondary secondary = new Secondary();
        secondary.connect(1);
        secondary.follower.restored(Map.of(1L, 1L));
        secondary.follower.order(List.of(new OrderEntry(1, 0, 4_000), new OrderEntry(1, 1, 5_000)), 0);
        secondary.follower.command(1, secondary.clients.get(1L), command("GET", "c"), 0); // index 0: in the state
        secondary.follower.command(1, secondary.clients.get(1L), command("INCR", "c"), 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> secondary.replies.get(1L).equals(List.of(":1\r\n")));
        assertEquals(List.of(), secondary.gaveUp);
        assertEquals(0, secondary.follower.entriesWaiting());
    }

    /** A command that waited for a pause to end when the state loaded runs in its turn, neither lost nor run twice. */
    @Test
    void aCommandWaitingOutAPauseWhenTheStateLoadsRunsInItsTurn() throws Exception {
        Secondary secondary = new Secondary();
        secondary.connect(1);
        secondary.paused = true; // the checkpoint's pause: not following yet, the command waits
        secondary.follower.command(1, secondary.clients.get(1L), command("INCR", "c"), 0);
        secondary.follower.restored(Map.of(1L, 0L)); // the primary had run none of connection 1's commands
        secondary.paused = false;
        secondary.follower.poke(0);
        assertEquals(List.of(), secondary.replies.get(1L), "it waits for its place in the order");
        secondary.follower.order(List.of(new OrderEntry(1, 0, 5_000)), 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> secondary.replies.get(1L).equals(List.of(":1\r\n")));
        assertEquals(List.of(), secondary.gaveUp);
    }

    /** A state holding counter {@code c} at {@code value}, as a primary's store captures it. */
    private byte[] stateWithCounter(long value) throws Exception {
        KvStore primary = store(7, () -> 1_000L);
        primary.execute(command("SET", "c", Long.toString(value)));
        return primary.capture(true);
    }
}
