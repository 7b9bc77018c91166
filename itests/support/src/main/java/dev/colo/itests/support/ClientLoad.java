package dev.colo.itests.support;

import dev.colo.testing.RespClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client writing through the protected service without pause ({@code SET <prefix>:<n> v<n>}), reconnecting when
 * the service moves, and remembering every write the service acknowledged: what must survive any fault.
 */
public final class ClientLoad implements AutoCloseable {
    private static final int BATCH = 500;
    private final InetSocketAddress service;
    private final String prefix;
    private final List<Long> acknowledged = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean idle;
    private final Thread thread;

    public ClientLoad(InetSocketAddress service, String prefix) {
        this.service = service;
        this.prefix = prefix;
        this.thread = new Thread(this::run, "client-load-" + prefix);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Stops writing until {@link #resume()}; returns once the write under way ended. */
    public void pause() throws InterruptedException {
        paused.set(true);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!idle && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    public void resume() {
        paused.set(false);
    }

    /** How many writes the service answered with an error (not acknowledged, so not expected to survive). */
    public long refused() {
        return refused.get();
    }

    /** The writes acknowledged so far. */
    public synchronized List<Long> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /**
     * Checks every acknowledged write through the service, {@value #BATCH} keys per MGET (a batch that differs is
     * read again key by key); returns the keys missing or wrong.
     */
    public List<String> lost() throws IOException {
        List<String> lost = new ArrayList<>();
        List<Long> writes = acknowledged();
        try (RespClient client = new RespClient(service)) {
            for (int from = 0; from < writes.size(); from += BATCH) {
                List<Long> batch = writes.subList(from, Math.min(writes.size(), from + BATCH));
                List<String> command = new ArrayList<>(List.of("MGET"));
                StringBuilder expected = new StringBuilder("*").append(batch.size()).append("\r\n");
                for (long n : batch) {
                    command.add(prefix + ":" + n);
                    expected.append(bulk("v" + n));
                }
                if (!client.call(command.toArray(new String[0])).equals(expected.toString())) {
                    for (long n : batch) {
                        String reply = client.call("GET", prefix + ":" + n);
                        if (!reply.equals(bulk("v" + n))) {
                            lost.add(prefix + ":" + n + " = " + reply.strip());
                        }
                    }
                }
            }
        }
        return lost;
    }

    private static String bulk(String value) {
        return "$" + value.length() + "\r\n" + value + "\r\n";
    }

    private void run() {
        RespClient client = null;
        while (running.get()) {
            if (paused.get()) {
                idle = true;
                sleep(5);
                continue;
            }
            idle = false;
            long n = next.incrementAndGet();
            try {
                if (client == null) {
                    client = new RespClient(service);
                }
                if ("+OK\r\n".equals(client.call("SET", prefix + ":" + n, "v" + n))) {
                    synchronized (this) {
                        acknowledged.add(n);
                    }
                } else {
                    refused.incrementAndGet();
                }
            } catch (IOException e) {
                close(client);
                client = null;
                sleep(20); // the service moves or restarts: try again
            }
        }
        close(client);
    }

    private static void close(RespClient client) {
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
        thread.join(10_000);
    }
}
