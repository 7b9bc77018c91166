package dev.colo.itests.support;

import dev.colo.testing.RespClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients writing through the protected service without pause, each on its own connection, reconnecting when the
 * service moves, and remembering every write the service acknowledged: what must survive any fault. Write {@code n}
 * is {@code SET <prefix>:<n mod KEYS> v<n>}; client {@code c} of {@code C} sends the writes {@code n ≡ c (mod C)},
 * so that each key is written by one client, one write at a time. The keys are reused, so that the guest's data
 * stays the same size however long a soak runs, and each key must hold the value of its last acknowledged write or
 * of a later one (a write sent, never answered, may have been done).
 */
public final class ClientLoad implements AutoCloseable {
    /** Keys each load writes in turn. */
    static final int KEYS = 10_000;
    private static final int BATCH = 500;
    private final InetSocketAddress service;
    private final String prefix;
    private final int clients;
    /** Per key, the last acknowledged write (0: none yet). */
    private final long[] lastAcknowledged = new long[KEYS];
    private long acknowledgedCount;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean paused = new AtomicBoolean();
    /** The highest write sent so far. */
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger idle = new java.util.concurrent.atomic.AtomicInteger();
    /** When the last write was acknowledged (0: none since the start or a resume), and the longest wait for one. */
    private long lastAcknowledgedNanos;
    private long longestGapNanos;
    private final List<Thread> threads = new ArrayList<>();

    /** One client. */
    public ClientLoad(InetSocketAddress service, String prefix) {
        this(service, prefix, 1);
    }

    /** {@code clients} clients (a divisor of {@value #KEYS}), each on its own connection. */
    public ClientLoad(InetSocketAddress service, String prefix, int clients) {
        if (clients < 1 || KEYS % clients != 0) {
            throw new IllegalArgumentException(clients + " clients: not a divisor of " + KEYS);
        }
        this.service = service;
        this.prefix = prefix;
        this.clients = clients;
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> run(client), "client-load-" + prefix + "-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops writing until {@link #resume()}; returns once the writes under way ended. */
    public void pause() throws InterruptedException {
        paused.set(true);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (idle.get() < clients && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    public void resume() {
        synchronized (this) {
            lastAcknowledgedNanos = 0; // a pause is no outage
        }
        paused.set(false);
    }

    /** The longest time between two acknowledged writes while writing: the service's longest outage, as a client saw it. */
    public synchronized long longestGapMillis() {
        return longestGapNanos / 1_000_000;
    }

    /**
     * How many writes the service neither answered nor refused within the client's read timeout (10 s) while its
     * connection stayed open: a silent hang, where a closed connection or an error is an answer.
     */
    public long unanswered() {
        return unanswered.get();
    }

    /** How many writes the service answered with an error (not acknowledged, so not expected to survive). */
    public long refused() {
        return refused.get();
    }

    /** How many writes were acknowledged so far. */
    public synchronized long acknowledgedCount() {
        return acknowledgedCount;
    }

    /**
     * Checks the last acknowledged write of every key through the service, {@value #BATCH} keys per MGET (a batch
     * that differs is read again key by key); returns the keys missing or older than their last acknowledged write.
     */
    public List<String> lost() throws IOException {
        List<String> lost = new ArrayList<>();
        long[] last;
        long sent;
        synchronized (this) {
            last = lastAcknowledged.clone();
            sent = this.sent.get();
        }
        try (RespClient client = new RespClient(service)) {
            for (int from = 0; from < KEYS; from += BATCH) {
                int to = Math.min(KEYS, from + BATCH);
                List<String> command = new ArrayList<>(List.of("MGET"));
                StringBuilder expected = new StringBuilder("*").append(to - from).append("\r\n");
                for (int key = from; key < to; key++) {
                    command.add(prefix + ":" + key);
                    expected.append(last[key] == 0 ? "$-1\r\n" : bulk("v" + last[key]));
                }
                if (client.call(command.toArray(new String[0])).equals(expected.toString())) {
                    continue;
                }
                for (int key = from; key < to; key++) {
                    String reply = client.call("GET", prefix + ":" + key);
                    if (!holdsAtLeast(reply, key, last[key], sent)) {
                        lost.add(prefix + ":" + key + " = " + reply.strip() + " (last acknowledged: v" + last[key] + ")");
                    }
                }
            }
        }
        return lost;
    }

    /** Whether {@code reply} is the value of write {@code acknowledged} of {@code key} or of a later one sent. */
    private static boolean holdsAtLeast(String reply, int key, long acknowledged, long sent) {
        if (acknowledged == 0 && reply.equals("$-1\r\n")) {
            return true;
        }
        String[] lines = reply.split("\r\n");
        if (lines.length != 2 || !lines[0].startsWith("$") || !lines[1].startsWith("v")) {
            return false;
        }
        try {
            long n = Long.parseLong(lines[1].substring(1));
            return n >= acknowledged && n <= sent && n % KEYS == key;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String bulk(String value) {
        return "$" + value.length() + "\r\n" + value + "\r\n";
    }

    private void run(int clientIndex) {
        RespClient client = null;
        boolean idling = false;
        long n = clientIndex; // its first write is clientIndex + clients: write 0 stands for "none yet"
        while (running.get()) {
            if (paused.get()) {
                if (!idling) {
                    idling = true;
                    idle.incrementAndGet();
                }
                sleep(5);
                continue;
            }
            if (idling) {
                idling = false;
                idle.decrementAndGet();
            }
            n += clients;
            sent.accumulateAndGet(n, Math::max);
            try {
                if (client == null) {
                    client = new RespClient(service);
                }
                if ("+OK\r\n".equals(client.call("SET", prefix + ":" + n % KEYS, "v" + n))) {
                    synchronized (this) {
                        lastAcknowledged[(int) (n % KEYS)] = n; // one writer per key: the latest
                        acknowledgedCount++;
                        long now = System.nanoTime();
                        if (lastAcknowledgedNanos != 0) {
                            longestGapNanos = Math.max(longestGapNanos, now - lastAcknowledgedNanos);
                        }
                        lastAcknowledgedNanos = now;
                    }
                } else {
                    refused.incrementAndGet();
                }
            } catch (IOException e) {
                if (e instanceof java.net.SocketTimeoutException) {
                    unanswered.incrementAndGet();
                    System.out.printf("[load] %s: SET %s:%d neither answered nor refused within 10 s%n",
                            java.time.Instant.now(), prefix, n % KEYS);
                }
                close(client);
                client = null;
                sleep(20); // the service moves or restarts: try again
            }
        }
        close(client);
    }

    /** Closes a client that may be broken or null; a failure to close is no news to a client going anyway. */
    static void close(RespClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // going anyway
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
