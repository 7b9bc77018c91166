package dev.colo.guest.kv.internal.store;

import dev.colo.guest.kv.internal.order.OrderCodec;
import dev.colo.guest.kv.internal.order.OrderEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of the execution order: while it leads, each command of a mirrored connection is recorded as
 * it runs (its connection, its index there, its clock) and the log writer publishes what was recorded, one message
 * per batch. It also knows how many commands of each mirrored connection ran, which a checkpoint's state carries;
 * a connection that ended is remembered for {@value #ENDED_KEPT_MILLIS} ms (the secondary's copy of it ends a little
 * later, and may not have run all its commands when it loads the state). Guarded by its store's lock.
 */
final class Sequencer {
    static final long ENDED_KEPT_MILLIS = 60_000;
    /** Entries per message at most: 30 bytes each at worst, so that a message stays within the peer link's 1 MiB. */
    static final int MAX_ENTRIES_PER_MESSAGE = 32_768;
    static final int MAX_ENDED_KEPT = 100_000;

    private record Ended(long executed, long atNanos) {
    }

    private final Map<Long, ClientReplies> open = new HashMap<>();
    private final LinkedHashMap<Long, Ended> ended = new LinkedHashMap<>();
    private List<OrderEntry> recorded = new ArrayList<>();
    private Consumer<byte[]> sink;
    private long entriesShipped;
    private long bytesShipped;

    void opened(ClientReplies client) {
        open.put(client.connection, client);
    }

    void closed(ClientReplies client, long nowNanos) {
        if (open.remove(client.connection, client)) {
            ended.put(client.connection, new Ended(client.nextIndex, nowNanos));
            Iterator<Ended> oldest = ended.values().iterator();
            while (oldest.hasNext()) {
                Ended gone = oldest.next();
                if (ended.size() <= MAX_ENDED_KEPT && nowNanos - gone.atNanos() <= ENDED_KEPT_MILLIS * 1_000_000) {
                    break;
                }
                oldest.remove();
            }
        }
    }

    /** Leads from now on, publishing to {@code sink}; {@code null} stops (what was recorded is dropped). */
    void lead(Consumer<byte[]> to) {
        if (sink == null && to != null) {
            ended.clear(); // ids another primary gave: this one's proxy numbers its connections anew
        }
        sink = to;
        if (to == null) {
            recorded.clear();
        }
    }

    boolean leading() {
        return sink != null;
    }

    /** Records a command that ran; returns whether it is the first waiting to be published. */
    boolean add(long connection, long index, long clockMicros) {
        if (sink == null) {
            return false;
        }
        recorded.add(new OrderEntry(connection, index, clockMicros));
        return recorded.size() == 1;
    }

    boolean hasRecorded() {
        return !recorded.isEmpty();
    }

    /** What was recorded since the last call, encoded, and where it goes; null when nothing was. */
    Publication take() {
        if (recorded.isEmpty() || sink == null) {
            return null;
        }
        List<OrderEntry> taken = recorded;
        if (taken.size() > MAX_ENTRIES_PER_MESSAGE) { // the rest goes in the next message
            recorded = new ArrayList<>(taken.subList(MAX_ENTRIES_PER_MESSAGE, taken.size()));
            taken = taken.subList(0, MAX_ENTRIES_PER_MESSAGE);
        } else {
            recorded = new ArrayList<>();
        }
        byte[] message = OrderCodec.encode(taken);
        entriesShipped += taken.size();
        bytesShipped += message.length;
        return new Publication(sink, message);
    }

    /** One message of the order and its destination, handed over outside the store's lock. */
    record Publication(Consumer<byte[]> sink, byte[] message) {
        void publish() {
            try {
                sink.accept(message);
            } catch (RuntimeException e) {
                // the secondary misses it, waits for a command's place in vain and gives up: a checkpoint
                LoggerFactory.getLogger(Sequencer.class).warn("The guest's execution order could not be published: {}",
                        e.toString());
            }
        }
    }

    /** How many commands of each mirrored connection ran (ended ones kept a while), for a checkpoint. */
    Map<Long, Long> executed(long nowNanos) {
        ended.values().removeIf(gone -> nowNanos - gone.atNanos() > ENDED_KEPT_MILLIS * 1_000_000);
        Map<Long, Long> executed = new HashMap<>();
        ended.forEach((connection, gone) -> executed.put(connection, gone.executed()));
        open.forEach((connection, client) -> executed.put(connection, client.nextIndex));
        return executed;
    }

    long entriesShipped() {
        return entriesShipped;
    }

    long bytesShipped() {
        return bytesShipped;
    }
}
