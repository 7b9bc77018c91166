package dev.colo.guest.kv.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KvStoreTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<Mutation> logged = new CopyOnWriteArrayList<>();
    private final List<KvStore> stores = new ArrayList<>();
    private volatile boolean diskFull;
    private byte[] cursor = new byte[] {1, 2, 3};
    private final Durability durability = new Durability() {
        @Override
        public boolean append(List<Mutation> batch) throws IOException {
            if (diskFull) {
                throw new IOException("No space left on device");
            }
            logged.addAll(batch);
            return true;
        }

        @Override
        public void compact(Collection<Mutation> everything) {
            throw new AssertionError("never asked: append always has room");
        }

        @Override
        public byte[] cursor() {
            return cursor;
        }

        @Override
        public void continueAt(byte[] next) {
            cursor = next;
        }
    };
    private final KvStore store = started(1 << 20);

    private KvStore started(long maxMemoryBytes) {
        KvStore started = new KvStore(durability, clock::get, maxMemoryBytes, 64, 1 << 20);
        started.start(Thread::new);
        stores.add(started);
        return started;
    }

    @AfterEach
    void close() {
        stores.forEach(KvStore::close);
    }

    private String run(String... command) {
        return new String(execute(store, Arrays.stream(command).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList()),
                StandardCharsets.UTF_8);
    }

    private static byte[] execute(KvStore store, List<byte[]> command) {
        try {
            return store.execute(command);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCommandsAnswerAsRedisDoes() {
        assertEquals("+PONG\r\n", run("PING"));
        assertEquals("$2\r\nhi\r\n", run("echo", "hi"));
        assertEquals("+OK\r\n", run("SET", "k", "v"));
        assertEquals("$1\r\nv\r\n", run("GET", "k"));
        assertEquals("$-1\r\n", run("SET", "k", "w", "NX"), "NX: exists");
        assertEquals("$-1\r\n", run("SET", "n", "w", "XX"), "XX: does not exist");
        assertEquals("+OK\r\n", run("SET", "k", "w", "XX"));
        assertEquals(":1\r\n", run("INCR", "c"));
        assertEquals(":11\r\n", run("INCRBY", "c", "10"));
        assertEquals(":10\r\n", run("DECR", "c"));
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCR", "k"));
        assertEquals("+OK\r\n", run("MSET", "a", "1", "b", "2"));
        assertEquals("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n", run("MGET", "a", "zz", "b"));
        assertEquals(":2\r\n", run("EXISTS", "a", "b", "zz"));
        assertEquals(":4\r\n", run("DBSIZE"));
        assertEquals(":2\r\n", run("DEL", "a", "a", "b", "zz"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", run("GET"));
        assertEquals("-ERR syntax error\r\n", run("SET", "k", "v", "EX"));
        assertEquals("-ERR unknown command 'flushall'\r\n", run("FLUSHALL"));
        assertTrue(run("TIME").startsWith("*2\r\n"));
        assertTrue(run("INFO").contains("redis_version"));
    }

    @Test
    void keysExpireAfterTheirTime() {
        run("SET", "s", "v", "EX", "10");
        run("SET", "p", "v", "PX", "500");
        clock.addAndGet(499);
        assertEquals(":2\r\n", run("EXISTS", "s", "p"));
        clock.addAndGet(1);
        assertEquals("$-1\r\n", run("GET", "p"));
        clock.addAndGet(9_500);
        assertEquals(":0\r\n", run("EXISTS", "s"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "x", "v", "EX", "0"));
    }

    @Test
    void aWriteThatCannotBeMadeDurableFailsAndChangesNothing() {
        run("SET", "k", "before");
        diskFull = true;
        String reply = run("SET", "k", "after");
        assertTrue(reply.startsWith("-ERR the data could not be made durable") && reply.contains("No space"), reply);
        assertEquals("$6\r\nbefore\r\n", run("GET", "k"));
        assertEquals(List.of(new Mutation.Put("k", "before".getBytes(StandardCharsets.UTF_8), 0)), logged);
    }

    @Test
    void aCapturedStateRestoresTheSameDataFullOrIncremental() {
        KvStore copy = started(1 << 20);
        run("SET", "a", "1");
        run("SET", "b", "2");
        copy.restore(store.capture(true), true);
        run("DEL", "a");
        run("SET", "c", "3", "EX", "100");
        byte[] incremental = store.capture(false);
        cursor = new byte[] {9};
        copy.restore(incremental, false);
        assertEquals(2, copy.size());
        for (String key : List.of("a", "b", "c")) {
            assertEquals(run("GET", key), new String(execute(copy, List.of("GET".getBytes(), key.getBytes())),
                    StandardCharsets.UTF_8), key);
        }
        assertEquals(3, cursor.length, "the log goes on at the primary's cursor");
    }

    @Test
    void writesBeyondTheMemoryBoundAreRefusedAndChangeNothingWhileShrinkingWritesPass() {
        KvStore small = started(10_000);
        List<byte[]> big = List.of("SET".getBytes(), "big".getBytes(), new byte[6_000]);
        assertEquals("+OK\r\n", new String(execute(small, big), StandardCharsets.UTF_8));
        long used = small.usedMemoryBytes();
        assertEquals(KvStore.ENTRY_OVERHEAD_BYTES + 3 + 6_000, used);
        int logBefore = logged.size();
        List<byte[]> another = List.of("SET".getBytes(), "other".getBytes(), new byte[6_000]);
        assertEquals("-" + KvStore.OOM_ERROR + "\r\n", new String(execute(small, another), StandardCharsets.UTF_8));
        assertEquals(used, small.usedMemoryBytes(), "nothing changed");
        assertEquals(logBefore, logged.size(), "nothing logged");
        assertEquals(1, small.refusedWrites());
        assertTrue(small.refusing());
        List<byte[]> smaller = List.of("SET".getBytes(), "big".getBytes(), new byte[10]);
        assertEquals("+OK\r\n", new String(execute(small, smaller), StandardCharsets.UTF_8), "a shrinking write passes");
        assertEquals("+OK\r\n", new String(execute(small, another), StandardCharsets.UTF_8), "room again");
        assertTrue(!small.refusing());
        List<byte[]> msetTwice = List.of("MSET".getBytes(), "m".getBytes(), new byte[3_000], "m".getBytes(), new byte[10]);
        assertEquals("+OK\r\n", new String(execute(small, msetTwice), StandardCharsets.UTF_8),
                "a key set twice in one MSET counts once");
        assertEquals(":2\r\n", new String(execute(small, List.of("DEL".getBytes(), "big".getBytes(), "m".getBytes())),
                StandardCharsets.UTF_8));
        assertEquals(KvStore.ENTRY_OVERHEAD_BYTES + 5 + 6_000, small.usedMemoryBytes(), "deletes give memory back");
    }
}
