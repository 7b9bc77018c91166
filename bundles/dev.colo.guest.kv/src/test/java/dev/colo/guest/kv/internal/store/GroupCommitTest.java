package dev.colo.guest.kv.internal.store;

import static dev.colo.guest.kv.internal.store.Words.command;
import static dev.colo.guest.kv.internal.store.Words.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store's group commit against a model: many connections, pipelined, writes failing at random, checked reply by
 * reply against what the (fake) disk holds at that moment.
 */
class GroupCommitTest {
    /** A disk that keeps the batches it made durable, fails when told to, and can be held in the middle of a write. */
    private static final class ModelDisk implements Durability {
        private final List<List<Mutation>> durable = new ArrayList<>();
        private final Random random;
        private final double failureRate;
        private volatile CountDownLatch hold = new CountDownLatch(0);
        private final CountDownLatch writing = new CountDownLatch(1);
        private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private volatile boolean failNext;

        ModelDisk(long seed, double failureRate) {
            this.random = new Random(seed);
            this.failureRate = failureRate;
        }

        @Override
        public boolean append(List<Mutation> batch) throws IOException {
            writing.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (this) {
                if (failNext || random.nextDouble() < failureRate) {
                    failNext = false;
                    throw new IOException("injected write failure");
                }
                if (random.nextInt(4) == 0) {
                    LockSupport.parkNanos(random.nextInt(500_000)); // sometimes slow, so that batches form
                }
                durable.add(List.copyOf(batch));
                return true;
            }
        }

        @Override
        public synchronized void compact(Collection<Mutation> everything) {
            durable.clear();
            durable.add(List.copyOf(everything));
        }

        @Override
        public byte[] cursor() {
            return new byte[0];
        }

        @Override
        public void continueAt(byte[] cursor) {
        }

        /** What a replay of the disk gives now. */
        synchronized Map<String, String> replayed() {
            Map<String, String> data = new HashMap<>();
            durable.forEach(batch -> batch.forEach(mutation -> {
                if (mutation instanceof Mutation.Put put) {
                    data.put(put.key(), new String(put.value(), StandardCharsets.ISO_8859_1));
                } else {
                    data.remove(mutation.key());
                }
            }));
            return data;
        }
    }

    private final List<KvStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(KvStore::close);
    }

    private KvStore store(Durability disk, int maxPendingWrites) {
        KvStore store = new KvStore(disk, () -> 1_000_000L, 64L << 20, maxPendingWrites, 1L << 20);
        store.start(Thread::new);
        stores.add(store);
        return store;
    }


    /**
     * Each connection sends rounds of {@code INCR c<k>, ECHO <connection>:<round>, GET c<k>} and, now and then, an
     * MSET or DEL of other keys, pipelined. Checked: replies come in the order of the commands; every reply that
     * shows a counter's value shows a value the disk held when the reply left; acknowledged increments are never
     * repeated and all of them, and only they, are in the final value; the disk replays to exactly the store's data.
     */
    @Test
    void manyPipelinedConnectionsAgainstAModelWithFailingWrites() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            runModel(seed);
        }
    }

    private void runModel(long seed) throws Exception {
        ModelDisk disk = new ModelDisk(seed, 0.03);
        KvStore store = store(disk, 16);
        int connections = 12;
        int rounds = 150;
        List<String> problems = new CopyOnWriteArrayList<>();
        Map<String, List<Long>> acknowledgedIncrements = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        AtomicInteger failedWrites = new AtomicInteger();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            Random random = new Random(seed * 1000 + c);
            List<String> expected = new ArrayList<>(); // what each reply must be, or a pattern of it
            List<String> counters = new ArrayList<>();
            List<byte[]> replies = new ArrayList<>();
            ClientReplies client = store.client(reply -> {
                // under the store's lock, as the reply leaves: what it shows must be durable now
                int index = replies.size();
                replies.add(reply);
                String kind = expected.get(index);
                String shown = text(reply);
                if (kind.startsWith("echo:") && !shown.equals("$" + (kind.length() - 5) + "\r\n" + kind.substring(5)
                        + "\r\n")) {
                    problems.add("connection " + connection + " reply " + index + ": " + shown.trim() + " in the "
                            + "place of " + kind);
                }
                if (kind.equals("incr") || kind.equals("get")) {
                    String key = counters.get(index);
                    long value = shown.startsWith(":") ? Long.parseLong(shown.substring(1).trim())
                            : shown.startsWith("$") && !shown.startsWith("$-1")
                                    ? Long.parseLong(shown.split("\r\n")[1]) : -1;
                    if (shown.startsWith("-") && kind.equals("incr")) {
                        failedWrites.incrementAndGet();
                        if (!shown.contains("could not be made durable")) {
                            problems.add("connection " + connection + " reply " + index + ": " + shown.trim());
                        }
                        return;
                    }
                    long onDisk = Long.parseLong(disk.replayed().getOrDefault(key, "0"));
                    if (value > onDisk) {
                        problems.add("connection " + connection + " reply " + index + " showed " + key + " = "
                                + value + " while the disk held " + onDisk);
                    }
                    if (kind.equals("incr")) {
                        acknowledgedIncrements.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(value);
                    }
                }
            });
            done.add(clients.submit(() -> {
                for (int round = 0; round < rounds; round++) {
                    String counter = "c" + random.nextInt(3);
                    List<List<byte[]>> pipeline = new ArrayList<>();
                    synchronized (store) { // the expectations are read under the same lock the replies leave under
                        expected.add("incr");
                        counters.add(counter);
                        pipeline.add(command("INCR", counter));
                        String marker = connection + ":" + round;
                        expected.add("echo:" + marker);
                        counters.add(null);
                        pipeline.add(command("ECHO", marker));
                        expected.add("get");
                        counters.add(counter);
                        pipeline.add(command("GET", counter));
                        if (random.nextInt(5) == 0) {
                            expected.add("other");
                            counters.add(null);
                            pipeline.add(random.nextBoolean()
                                    ? command("MSET", "m" + random.nextInt(4), "v" + round, "m" + random.nextInt(4),
                                            "w" + round)
                                    : command("DEL", "m" + random.nextInt(4)));
                        }
                    }
                    for (List<byte[]> each : pipeline) {
                        store.submit(client, each);
                    }
                }
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            synchronized (store) {
                return store.size() >= 0 && quiet(store);
            }
        });
        assertEquals(List.of(), problems, "seed " + seed);
        Map<String, String> data = new HashMap<>();
        for (String key : List.of("c0", "c1", "c2", "m0", "m1", "m2", "m3")) {
            String reply = text(store.execute(command("GET", key)));
            if (!reply.startsWith("$-1")) {
                data.put(key, reply.split("\r\n")[1]);
            }
        }
        assertEquals(disk.replayed(), data, "seed " + seed + ": the disk replays to the store's data");
        for (String counter : List.of("c0", "c1", "c2")) {
            List<Long> acknowledged = acknowledgedIncrements.getOrDefault(counter, List.of());
            assertEquals(acknowledged.size(), acknowledged.stream().distinct().count(),
                    "seed " + seed + ": no acknowledged increment of " + counter + " repeated");
            assertEquals(LongStream.rangeClosed(1, acknowledged.size()).boxed().toList(),
                    acknowledged.stream().sorted().toList(), "seed " + seed + ": " + counter
                            + " counts the acknowledged increments, and only them");
        }
        assertTrue(failedWrites.get() > 0, "seed " + seed + ": some writes failed");
        long[] sizes = store.batchesBySize();
        assertTrue(Arrays.stream(sizes).skip(1).sum() > 0, "seed " + seed + ": batches of more than one write, "
                + Arrays.toString(sizes));
    }

    /** Whether the store has nothing pending (a capture would pass). */
    private static boolean quiet(KvStore store) {
        try {
            store.capture(false);
            return true;
        } catch (IllegalStateException pending) {
            return false;
        }
    }

    @Test
    void aFailedBatchAnswersEveryCommandInItWithTheErrorAndChangesNothing() throws Exception {
        ModelDisk disk = new ModelDisk(7, 0);
        KvStore store = store(disk, 64);
        assertEquals(":1\r\n", text(store.execute(command("INCR", "k"))));
        disk.hold = new CountDownLatch(1);
        List<String> replies = new CopyOnWriteArrayList<>();
        List<ClientReplies> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(store.client(reply -> replies.add(text(reply))));
        }
        store.submit(clients.get(0), command("INCR", "k")); // taken by the writer, which is held
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (store) {
                return store.batchesBySize()[0] >= 2;
            }
        });
        for (int i = 1; i < 6; i++) {
            store.submit(clients.get(i), command(i % 2 == 0 ? "GET" : "INCR", "k")); // on top of the held write
        }
        disk.failNext = true;
        disk.hold.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 6);
        long errors = replies.stream().filter(reply -> reply.startsWith("-ERR the data could not be made durable")
                && reply.contains("injected write failure")).count();
        assertEquals(4, errors, "the failed write and the writes prepared on top of it: " + replies);
        assertEquals(2, replies.stream().filter(reply -> reply.equals("$1\r\n1\r\n")).count(),
                "the reads that saw the failed writes read again, the committed value: " + replies);
        assertEquals("$1\r\n1\r\n", text(store.execute(command("GET", "k"))));
        assertEquals(Map.of("k", "1"), disk.replayed());
        assertEquals(":2\r\n", text(store.execute(command("INCR", "k"))), "the store goes on after the failure");
    }

    @Test
    void aClientBeyondTheBoundOfPendingWritesWaits() throws Exception {
        ModelDisk disk = new ModelDisk(3, 0);
        disk.hold = new CountDownLatch(1);
        KvStore store = store(disk, 4);
        List<String> replies = new CopyOnWriteArrayList<>();
        ClientReplies client = store.client(reply -> replies.add(text(reply)));
        AtomicInteger submitted = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 10; i++) {
                    store.submit(client, command("SET", "k" + i, "v"));
                    submitted.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();
        disk.writing.await(10, TimeUnit.SECONDS);
        // one write is with the (held) writer, four are queued: the sixth waits for room
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() == Thread.State.WAITING);
        assertTrue(submitted.get() >= 5 && submitted.get() < 10, "one batch with the writer, four writes queued, "
                + "the next waiting: " + submitted.get() + " submitted");
        assertEquals(List.of(), replies);
        disk.hold.countDown();
        writer.join(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 10);
        assertEquals(10, disk.replayed().size());
    }

    @Test
    void aCaptureWhileWritesArePendingIsRefused() throws Exception {
        ModelDisk disk = new ModelDisk(5, 0);
        disk.hold = new CountDownLatch(1);
        KvStore store = store(disk, 4);
        store.submit(store.client(reply -> { }), command("SET", "k", "v"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.capture(true));
        assertTrue(e.getMessage().contains("pending"), e.getMessage());
        disk.hold.countDown();
    }
}
