package dev.colo.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client of {@code colo demo}: writes {@code demo:<writer>:<n>} keys through the service port, one command at
 * a time, and records each write the service acknowledged; a lost connection is reopened (the service may be
 * moving to the other node) and the gap without acknowledgements is measured. Every tenth command is a
 * {@code LOCALTIME}, the reference guest's node-local clock, whose answer differs between the two guests: a
 * checkpoint follows each.
 */
final class DemoWriter implements Runnable {
    private final InetSocketAddress service;
    private final int id;
    /** The keys acknowledged, and when (System.nanoTime()), in order; guarded by this. */
    private final List<String> acknowledged = new ArrayList<>();
    private final List<Long> acknowledgedAt = new ArrayList<>();
    private final AtomicLong longestGapNanos = new AtomicLong();
    private volatile boolean stopped;
    private volatile String lastError = "";

    DemoWriter(InetSocketAddress service, int id) {
        this.service = service;
        this.id = id;
    }

    synchronized List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /**
     * The gap this client saw across {@code instantNanos} (e.g. a kill): from its last write acknowledged before
     * to its first after; -1 when none was acknowledged after.
     */
    synchronized long gapAcrossMillis(long instantNanos) {
        long before = Long.MIN_VALUE;
        for (int i = 0; i < acknowledgedAt.size(); i++) {
            long at = acknowledgedAt.get(i);
            if (at > instantNanos) {
                return before == Long.MIN_VALUE ? -1 : (at - before) / 1_000_000;
            }
            before = at;
        }
        return -1;
    }

    private synchronized void acknowledge(String key, long now) {
        acknowledged.add(key);
        acknowledgedAt.add(now);
    }

    long longestGapMillis() {
        return longestGapNanos.get() / 1_000_000;
    }

    String lastError() {
        return lastError;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long lastAck = System.nanoTime();
        long n = 0;
        while (!stopped) {
            try (Socket socket = new Socket()) {
                socket.connect(service, 1000);
                socket.setSoTimeout(5000);
                socket.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                while (!stopped) {
                    if (n % 10 == 9) {
                        call(out, in, "LOCALTIME");
                    } else {
                        String key = "demo:" + id + ":" + n;
                        if ("+OK".equals(call(out, in, "SET", key, value(key)))) {
                            long now = System.nanoTime();
                            acknowledge(key, now);
                            longestGapNanos.accumulateAndGet(now - lastAck, Math::max);
                            lastAck = now;
                        }
                    }
                    n++;
                }
            } catch (IOException e) {
                lastError = e.toString();
                sleep();
            }
        }
    }

    static String value(String key) {
        return "value of " + key;
    }

    /** Sends a command; returns the first line of its reply (the rest of a bulk or an array is read and dropped). */
    static String call(OutputStream out, InputStream in, String... args) throws IOException {
        StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                    .append("\r\n");
        }
        out.write(command.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply(in);
    }

    /** Reads one reply; returns a simple line ({@code +OK}), or the bulk string's text, or {@code *N} for arrays. */
    static String reply(InputStream in) throws IOException {
        String line = line(in);
        if (line.startsWith("$")) {
            int length = Integer.parseInt(line.substring(1));
            if (length < 0) {
                return null;
            }
            String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            line(in);
            return text;
        }
        if (line.startsWith("*")) {
            for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
                reply(in);
            }
        }
        return line;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the service closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
