package dev.colo.itests.support;

import dev.colo.testing.RespClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Several clients incrementing one shared key through the service ({@code INCR}), the hardest case for the compare
 * (their interleaving differs between the two guests). Every acknowledged increment must be counted: the counter
 * is at least the number acknowledged and at most the number sent (an increment whose reply was lost may have
 * happened).
 */
public final class CounterLoad implements AutoCloseable {
    private final InetSocketAddress service;
    private final String key;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    public CounterLoad(InetSocketAddress service, String key, int clients) {
        this.service = service;
        this.key = key;
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(this::run, "counter-load-" + key + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** Stops the clients, then checks the counter: empty if every acknowledged increment is counted, else why not. */
    public List<String> stopAndCheck() throws IOException, InterruptedException {
        close();
        try (RespClient client = new RespClient(service)) {
            String reply = client.call("GET", key);
            String[] lines = reply.split("\r\n");
            long value = lines.length == 2 ? Long.parseLong(lines[1]) : 0;
            if (value < acknowledged.get() || value > sent.get()) {
                return List.of(key + " = " + value + ", but " + acknowledged.get() + " increments were acknowledged and "
                        + sent.get() + " sent");
            }
            return List.of();
        }
    }

    private void run() {
        RespClient client = null;
        while (running.get()) {
            try {
                if (client == null) {
                    client = new RespClient(service);
                }
                sent.incrementAndGet();
                if (client.call("INCR", key).startsWith(":")) {
                    acknowledged.incrementAndGet();
                }
            } catch (IOException e) {
                ClientLoad.close(client);
                client = null;
                try {
                    Thread.sleep(20); // the service moves or restarts: try again
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
        ClientLoad.close(client);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }
}
