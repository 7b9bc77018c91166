package dev.colo.mqtt.internal.backlog;

import dev.colo.mqtt.internal.message.Outbound;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The events not yet acknowledged by the broker, oldest first, one file each in a directory of the bundle's data,
 * so that a restart keeps them. Written durably (fsync, then an atomic rename) before the event counts as kept.
 * Bounded: beyond {@code limit} the oldest is dropped; drops are counted (also on disk) until reported.
 */
public final class Backlog {
    private static final String SUFFIX = ".msg";
    private static final String COUNTERS = "dropped.properties";

    /** One kept event: its place in the backlog and the message. */
    public record Entry(long index, Outbound message) {
    }

    private final Path dir;
    private final int limit;
    private final Deque<Long> indices;
    private long next;
    private long dropped;
    private long unreported;

    private Backlog(Path dir, int limit, Deque<Long> indices, long dropped, long unreported) {
        this.dir = dir;
        this.limit = limit;
        this.indices = indices;
        this.next = indices.isEmpty() ? 1 : indices.getLast() + 1;
        this.dropped = dropped;
        this.unreported = unreported;
    }

    /** The backlog in {@code dir} (created if missing) with what an earlier run left there. */
    public static Backlog open(Path dir, int limit) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path stale : files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.delete(stale); // an append a crash cut short: it never counted as kept
            }
        }
        List<Long> found;
        try (Stream<Path> files = Files.list(dir)) {
            found = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(SUFFIX))
                    .map(name -> Long.parseLong(name.substring(0, name.length() - SUFFIX.length()))).sorted().toList();
        }
        Properties counters = new Properties();
        Path countersFile = dir.resolve(COUNTERS);
        if (Files.isRegularFile(countersFile)) {
            try (var in = Files.newInputStream(countersFile)) {
                counters.load(in);
            }
        }
        Backlog backlog = new Backlog(dir, limit, new ArrayDeque<>(found),
                Long.parseLong(counters.getProperty("dropped", "0")),
                Long.parseLong(counters.getProperty("unreported", "0")));
        backlog.trimToLimit(); // the limit may have been lowered since
        return backlog;
    }

    /** Keeps {@code message} (durably) after the others; drops the oldest when the backlog is full. */
    public synchronized void append(Outbound message) throws IOException {
        long index = next++;
        byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
        ByteBuffer content = ByteBuffer.allocate(2 + topic.length + message.payload().length);
        content.putShort((short) topic.length).put(topic).put(message.payload()).flip();
        Path temporary = dir.resolve(index + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                channel.write(content);
            }
            channel.force(true);
        }
        Files.move(temporary, file(index), StandardCopyOption.ATOMIC_MOVE);
        indices.addLast(index);
        trimToLimit();
    }

    /** The oldest kept event, if any. */
    public synchronized Optional<Entry> oldest() throws IOException {
        Long index = indices.peekFirst();
        if (index == null) {
            return Optional.empty();
        }
        ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(file(index)));
        byte[] topic = new byte[Short.toUnsignedInt(content.getShort())];
        content.get(topic);
        byte[] payload = new byte[content.remaining()];
        content.get(payload);
        return Optional.of(new Entry(index, new Outbound(new String(topic, StandardCharsets.UTF_8), payload, false, 0)));
    }

    /** Forgets {@code entry}: the broker has it. */
    public synchronized void remove(Entry entry) throws IOException {
        if (indices.remove(entry.index())) {
            Files.deleteIfExists(file(entry.index()));
        }
    }

    public synchronized int size() {
        return indices.size();
    }

    public int limit() {
        return limit;
    }

    /** Events dropped at the bound since the backlog was created. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Drops not yet reported to the broker. */
    public synchronized long unreportedDrops() {
        return unreported;
    }

    /** The broker was told of {@code count} drops. */
    public synchronized void reported(long count) throws IOException {
        unreported = Math.max(0, unreported - count);
        writeCounters();
    }

    private void trimToLimit() throws IOException {
        boolean droppedAny = false;
        while (indices.size() > limit) {
            Files.deleteIfExists(file(indices.removeFirst()));
            dropped++;
            unreported++;
            droppedAny = true;
        }
        if (droppedAny) {
            writeCounters();
        }
    }

    private void writeCounters() throws IOException {
        Path temporary = dir.resolve(COUNTERS + ".tmp");
        Files.writeString(temporary, "dropped=" + dropped + "\nunreported=" + unreported + "\n");
        Files.move(temporary, dir.resolve(COUNTERS), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private Path file(long index) {
        return dir.resolve(String.format("%020d%s", index, SUFFIX));
    }
}
