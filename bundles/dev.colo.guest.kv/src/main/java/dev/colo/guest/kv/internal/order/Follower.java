package dev.colo.guest.kv.internal.order;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secondary's side of the execution order: each mirrored connection's commands are queued as they are read
 * and run only in the order the primary ran them ({@link #order}), with the clock the primary read. Network-free
 * and thread-safe; commands run on the calling thread, under this follower's lock, one at a time, each only once
 * the {@link Executor} admits it (a paused guest does not: what waits runs at {@link #poke}).
 *
 * <p>It follows from the moment a checkpoint's state that the primary captured while leading is loaded
 * ({@link #restored}): that state says how many commands of each connection it holds the effect of, and those are
 * never run here. Until then, or after {@link #unordered}, commands run as they arrive (as a guest without an order
 * does; the compare catches a difference). It never runs a command out of order and never waits for ever: an entry
 * whose command has not arrived within the timeout, or one that cannot be right (a command ordered twice or
 * skipped, a connection that ended without it), makes it <em>give up</em>: it tells its listener (who asks for a
 * checkpoint) and runs commands as they arrive until the next state is loaded. Commands run while not following
 * are kept (up to {@value #MAX_KEPT_COMMANDS}) so that those the next loaded state does not hold run again, in the
 * primary's order.
 */
public final class Follower<T> {
    /**
     * Runs one command for {@code target} (what the command's connection answers through, as given with it);
     * {@code clockMicros} is the primary's reading, or 0 for this node's.
     */
    @FunctionalInterface
    public interface Executor<T> {
        /** Returns false, running nothing, when the guest does not take commands now (paused). */
        boolean execute(T target, List<byte[]> command, long clockMicros);
    }

    /** Told once each time the follower gives up (on the thread that found out, under the follower's lock). */
    @FunctionalInterface
    public interface GiveUpListener {
        void gaveUp(String why);
    }

    static final int MAX_KEPT_COMMANDS = 100_000;

    private record Command<T>(long connection, long index, T target, List<byte[]> words) {
    }

    /** One mirrored connection: its commands read and not yet run, and the index of the next one to run. */
    private static final class Connection<T> {
        final ArrayDeque<Command<T>> queued = new ArrayDeque<>();
        final ArrayDeque<Command<T>> ranUnordered = new ArrayDeque<>();
        long nextRead;
        long nextRun;
        /** Commands below this index are in the state loaded last: an order that still names one is stale. */
        long loaded;
        boolean ended;
    }

    private final Executor<T> executor;
    private final GiveUpListener listener;
    private final long timeoutNanos;
    private final Map<Long, Connection<T>> connections = new HashMap<>();
    private final ArrayDeque<OrderEntry> order = new ArrayDeque<>();
    /** Each waiting entry's share of the bytes of the message that brought it, in the order of {@link #order}. */
    private final ArrayDeque<Integer> orderBytes = new ArrayDeque<>();
    private long bytesWaiting;
    /** Not following: commands of every connection in the order they arrived, waiting for admission. */
    private final ArrayDeque<Command<T>> arrived = new ArrayDeque<>();
    /** Indices below which a connection's commands are in the loaded state, for connections not yet seen here. */
    private final Map<Long, Long> loadedBelow = new HashMap<>();
    private boolean following;
    private long generation;
    private int kept;
    /** Since when the head of the order waits for its command, or -1. */
    private long headWaitingSinceNanos = -1;
    private long entriesReceived;
    private long entriesApplied;
    private long gaveUp;

    public Follower(Executor<T> executor, GiveUpListener listener, long timeoutMillis) {
        this.executor = executor;
        this.listener = listener;
        this.timeoutNanos = timeoutMillis * 1_000_000;
    }

    /** The connection's next command, as read; {@code target} is what it runs for. */
    public synchronized void command(long connection, T target, List<byte[]> words, long nowNanos) {
        Connection<T> from = connection(connection);
        Command<T> command = new Command<>(connection, from.nextRead++, target, words);
        if (!following) {
            arrived.add(command);
        } else if (command.index() >= from.nextRun) {
            from.queued.add(command);
        } // else the loaded state holds its effect: the primary ran it before the checkpoint
        run(nowNanos);
    }

    /** The connection ended on this node; the order may still name commands it read before. */
    public synchronized void ended(long connection, long nowNanos) {
        Connection<T> gone = connections.get(connection);
        if (gone != null) {
            gone.ended = true;
            run(nowNanos);
            forgetIfDone(connection, gone);
        }
    }

    /** The primary's next entries, in its order (ignored while not following). */
    public synchronized void order(List<OrderEntry> entries, long nowNanos) {
        order(entries, 0, generation, nowNanos);
    }

    /** Counts the states loaded: what {@link #order} is told at receipt. */
    public synchronized long generation() {
        return generation;
    }

    /**
     * The primary's next entries, from a message of {@code bytes} bytes, received while {@code generation} was
     * current: a message received before a state was loaded belongs to the state before it (its commands are in
     * the loaded one) and is dropped.
     */
    public synchronized void order(List<OrderEntry> entries, int bytes, long generation, long nowNanos) {
        entriesReceived += entries.size();
        if (following && !entries.isEmpty() && generation == this.generation) {
            order.addAll(entries);
            int share = bytes / entries.size();
            for (int i = 0; i < entries.size(); i++) {
                int mine = share + (i < bytes % entries.size() ? 1 : 0);
                orderBytes.add(mine);
                bytesWaiting += mine;
            }
            run(nowNanos);
        }
    }

    /** The guest takes commands again: what waited runs. */
    public synchronized void poke(long nowNanos) {
        run(nowNanos);
    }

    /**
     * A checkpoint's state, captured by a primary that led, was loaded: it holds the effect of the first
     * {@code executed.get(c)} commands of each connection {@code c} it names, and none of the others'. The order
     * starts again from there.
     */
    public synchronized void restored(Map<Long, Long> executed) {
        generation++;
        clearOrder();
        for (Command<T> waiting : arrived) { // arrived while not following, not yet run (paused): back in line
            connection(waiting.connection()).queued.add(waiting);
        }
        arrived.clear();
        loadedBelow.clear();
        headWaitingSinceNanos = -1;
        for (Map.Entry<Long, Long> entry : executed.entrySet()) {
            if (!connections.containsKey(entry.getKey())) {
                loadedBelow.put(entry.getKey(), entry.getValue());
            }
        }
        for (Map.Entry<Long, Connection<T>> entry : connections.entrySet()) {
            Connection<T> connection = entry.getValue();
            long loaded = executed.getOrDefault(entry.getKey(), 0L);
            connection.loaded = loaded;
            // commands run unordered whose effect the state does not hold run again, in the primary's order
            while (!connection.ranUnordered.isEmpty() && connection.ranUnordered.peekLast().index() >= loaded) {
                connection.queued.addFirst(connection.ranUnordered.pollLast());
            }
            connection.ranUnordered.clear();
            while (!connection.queued.isEmpty() && connection.queued.peek().index() < loaded) {
                connection.queued.poll();
            }
            // the next to run: the first queued, or (none queued) the next read unless the state holds it already
            connection.nextRun = connection.queued.isEmpty() ? Math.max(loaded, connection.nextRead)
                    : connection.queued.peek().index();
        }
        connections.values().removeIf(connection -> connection.ended && connection.queued.isEmpty());
        kept = 0;
        following = true;
    }

    /**
     * A state was loaded that a primary captured without leading, or this node leads now: commands run as they
     * arrive. What is queued runs at the next {@link #poke}.
     */
    public synchronized void unordered() {
        if (following) {
            stopFollowing();
        }
        // what ran before is in this state (or this node leads now): nothing is kept to run again
        connections.values().forEach(connection -> connection.ranUnordered.clear());
        kept = 0;
    }

    /** Gives up when the head of the order waited for its command longer than the timeout; returns why. */
    public synchronized Optional<String> check(long nowNanos) {
        if (!following || headWaitingSinceNanos < 0 || nowNanos - headWaitingSinceNanos < timeoutNanos) {
            return Optional.empty();
        }
        OrderEntry head = order.peek();
        String why = "command " + head.index() + " of connection " + head.connection() + " did not arrive within "
                + timeoutNanos / 1_000_000 + " ms";
        giveUp(why);
        return Optional.of(why);
    }

    public synchronized boolean following() {
        return following;
    }

    public synchronized long entriesReceived() {
        return entriesReceived;
    }

    public synchronized long entriesApplied() {
        return entriesApplied;
    }

    /** Entries received and not yet followed: the lag. */
    public synchronized int entriesWaiting() {
        return order.size();
    }

    /** Bytes of the messages of the entries waiting. */
    public synchronized long bytesWaiting() {
        return bytesWaiting;
    }

    /** Times it gave up. */
    public synchronized long gaveUp() {
        return gaveUp;
    }

    private Connection<T> connection(long id) {
        return connections.computeIfAbsent(id, seen -> {
            Connection<T> connection = new Connection<>();
            // a connection a loaded state names before it was seen here: its first commands are in that state
            Long below = loadedBelow.remove(seen);
            connection.nextRun = below == null ? 0 : below;
            connection.loaded = connection.nextRun;
            return connection;
        });
    }

    private void run(long nowNanos) {
        if (following) {
            runInOrder(nowNanos);
        } else {
            runAsArrived();
        }
    }

    private void runAsArrived() {
        while (!arrived.isEmpty()) {
            Command<T> next = arrived.peek();
            if (!executor.execute(next.target(), next.words(), 0)) {
                return;
            }
            arrived.poll();
            Connection<T> connection = connections.get(next.connection());
            if (connection != null) {
                connection.nextRun = next.index() + 1;
                if (kept < MAX_KEPT_COMMANDS) {
                    connection.ranUnordered.add(next);
                    kept++;
                }
            }
        }
    }

    /** Runs the head of the order while its command is here and the guest takes it. */
    private void runInOrder(long nowNanos) {
        while (!order.isEmpty()) {
            OrderEntry head = order.peek();
            Connection<T> connection = connection(head.connection());
            Command<T> next = connection.queued.peek();
            if (head.index() < connection.loaded) {
                // published by the primary after it took the state that holds it (its reply had left): stale
                order.poll();
                bytesWaiting -= orderBytes.poll();
                headWaitingSinceNanos = -1;
                continue;
            }
            String wrong = null;
            if (head.index() < connection.nextRun) {
                wrong = "command " + head.index() + " of connection " + head.connection() + " is ordered again";
            } else if (next != null && next.index() < head.index()) {
                wrong = "command " + next.index() + " of connection " + head.connection() + " is skipped by the order"
                        + " (it names " + head.index() + ")";
            } else if (next == null && connection.ended) {
                wrong = "command " + head.index() + " of connection " + head.connection()
                        + " is ordered, and the connection ended after " + connection.nextRead + " here";
            }
            if (wrong != null) {
                giveUp(wrong);
                return;
            }
            if (next == null || next.index() != head.index()) {
                if (headWaitingSinceNanos < 0) {
                    headWaitingSinceNanos = nowNanos;
                }
                return;
            }
            if (!executor.execute(next.target(), next.words(), head.clockMicros())) {
                return; // paused: the same head runs at the next poke
            }
            order.poll();
            bytesWaiting -= orderBytes.poll();
            connection.queued.poll();
            connection.nextRun = next.index() + 1;
            headWaitingSinceNanos = -1;
            entriesApplied++;
            forgetIfDone(head.connection(), connection);
        }
    }

    private void giveUp(String why) {
        gaveUp++;
        stopFollowing();
        listener.gaveUp(why);
        runAsArrived();
    }

    /** Queued commands go to the arrival queue, in order per connection; orders are dropped. */
    private void stopFollowing() {
        following = false;
        clearOrder();
        headWaitingSinceNanos = -1;
        for (Connection<T> connection : connections.values()) {
            arrived.addAll(connection.queued);
            connection.queued.clear();
        }
    }

    private void clearOrder() {
        order.clear();
        orderBytes.clear();
        bytesWaiting = 0;
    }

    private void forgetIfDone(long id, Connection<T> connection) {
        if (connection.ended && connection.queued.isEmpty() && connection.ranUnordered.isEmpty()
                && order.stream().noneMatch(entry -> entry.connection() == id)) {
            connections.remove(id);
        }
    }
}
