package dev.colo.guest.kv.internal.store;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One client connection's replies, released in the order of its commands (pipelined or not): a reply waits until
 * every write it made or observed is durable, and until the replies before it were released. Guarded by the lock of
 * the {@link KvStore} that made it.
 */
public final class ClientReplies {
    private final Consumer<byte[]> sink;
    private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
    /** The connection's pair-wide id (what the execution order names it by), or -1 when it has none. */
    final long connection;
    /** The index the connection's next command gets. */
    long nextIndex;

    ClientReplies(long connection, Consumer<byte[]> sink) {
        this.connection = connection;
        this.sink = sink;
    }

    /** The connection's pair-wide id, or -1 when it has none. */
    public long connection() {
        return connection;
    }

    /** One command's place in the order of its connection. */
    static final class Slot {
        /** The command, to run again if what it read is not made durable; null for a reply given from outside. */
        final List<byte[]> command;
        byte[] reply;
        /** The log sequence number of the command's own write, or 0. */
        long ownLsn;
        /** The highest log sequence number of a write the reply depends on (its own or one it observed), or 0. */
        long needLsn;
        /** The clock the command reads, in µs since the epoch (the primary's, when it follows an order), or 0. */
        long clockMicros;

        Slot(List<byte[]> command) {
            this.command = command;
        }

        void answered(byte[] error) {
            reply = error;
            ownLsn = 0;
            needLsn = 0;
        }
    }

    /** Answers {@code slot} now if nothing is ahead of it and it needs nothing that is not durable; else queues it. */
    boolean offer(Slot slot, long durableLsn) {
        if (waiting.isEmpty() && slot.needLsn <= durableLsn) {
            sink.accept(slot.reply);
            return false;
        }
        waiting.add(slot);
        return true;
    }

    /** Releases the replies at the head that are ready; returns whether some still wait. */
    boolean release(long durableLsn) {
        while (!waiting.isEmpty() && waiting.peek().needLsn <= durableLsn) {
            sink.accept(waiting.poll().reply);
        }
        return !waiting.isEmpty();
    }

    Iterable<Slot> waiting() {
        return waiting;
    }
}
