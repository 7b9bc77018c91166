package dev.colo.guest.kv.internal.store;

import dev.colo.guest.kv.internal.resp.Resp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference guest's data: keys and values, changed by its {@link Commands}. Keys with an expiry vanish
 * lazily, when next touched. Its state is captured whole or as the keys changed since the last capture, and
 * restored on the secondary.
 *
 * <p><b>Group commit.</b> A command that changes data is made durable ({@link Durability}) before it is applied and
 * answered, many commands at once. {@link #submit} <em>prepares</em> a command under the store's lock: it runs
 * against the committed data plus the writes still pending, and a write gets the next log sequence number (LSN),
 * becomes pending (visible to later commands) and is queued. One {@link LogWriter} thread takes every write queued
 * meanwhile, makes the batch durable as one write, and the store <em>commits</em> it: applies it in LSN order and
 * releases the replies waiting for it. A reply (a read's included) leaves only once every write it made or
 * observed is durable, and in the order of its connection's commands ({@link ClientReplies}). If a batch cannot
 * be made durable, it and every write prepared on top of it fail with an error and change nothing; a read that
 * observed one of them runs again.
 *
 * <p>Its memory is bounded like Redis's {@code maxmemory}: a write that would take the data above the bound is
 * refused with Redis's {@code -OOM} error and changes nothing; writes that shrink the data always pass. The
 * data's size (pending writes included) is counted as keys and values plus {@value #ENTRY_OVERHEAD_BYTES} bytes
 * per key. Data recovered from the disk or restored from a checkpoint is taken whatever its size (it was
 * acknowledged). The queue of pending writes is bounded too ({@link CommitQueue}).
 */
public final class KvStore implements AutoCloseable {
    /** What a key costs beyond its key and value: the map entry, the record, the array headers. */
    public static final int ENTRY_OVERHEAD_BYTES = 96;
    static final String OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";
    private static final long WRITER_STOP_MILLIS = 60_000;
    private static final int ORDER_SECTION = 'O';
    private static final int ORDER_SECTION_VERSION = 1;
    private static final Logger logger = LoggerFactory.getLogger(KvStore.class);

    /** A write prepared and not yet durable: what later commands see of its key, and its LSN. */
    private record Pending(Mutation mutation, long lsn) {
    }

    /** The committed data: durable and applied. */
    private final Map<String, Mutation.Put> entries = new HashMap<>();
    /** The last pending write of each key, over {@link #entries}. */
    private final Map<String, Pending> pending = new HashMap<>();
    private final Set<String> changed = new HashSet<>();
    private final Set<ClientReplies> waitingClients = new LinkedHashSet<>();
    private final Durability durability;
    private final LongSupplier clockMillis;
    private final long maxMemoryBytes;
    private final CommitQueue queue;
    private final Commands commands;
    private final Sequencer sequencer = new Sequencer();
    private long committedBytes;
    private long pendingGrowth;
    private long lastLsn;
    private long durableLsn;
    /** The clock of the command being run, µs since the epoch: read once per command (a scratch of {@link #run}). */
    private long nowMicros;
    /** The highest LSN of a pending write the command being run observed (a scratch of {@link #run}). */
    private long observedLsn;
    /** The LSN of the write of the command being run, or 0 (a scratch of {@link #run}). */
    private long ownLsn;
    private boolean writing;
    private boolean closed;
    private Thread writer;
    private long commandsRun;
    private long refusedWrites;
    /** Whether the last write that would have grown the data was refused. */
    private boolean refusing;

    /**
     * @param maxMemoryBytes the bound of the data's size (see the class comment)
     * @param maxPendingRecords at most this many writes wait for the log writer ...
     * @param maxPendingBytes ... or this many bytes of them; a client beyond either waits
     */
    public KvStore(Durability durability, LongSupplier clockMillis, long maxMemoryBytes, int maxPendingRecords,
            long maxPendingBytes) {
        this.durability = durability;
        this.clockMillis = clockMillis;
        this.maxMemoryBytes = maxMemoryBytes;
        this.queue = new CommitQueue(maxPendingRecords, maxPendingBytes);
        this.commands = new Commands(this);
    }

    /** Starts the log writer: commands are answered from then on. */
    public synchronized void start(ThreadFactory threads) {
        if (writer != null || closed) {
            throw new IllegalStateException("the store was started before");
        }
        writer = threads.newThread(new LogWriter(this, durability));
        writer.start();
    }

    /**
     * Stops taking commands; the writes queued are still written (their replies go nowhere once the connections
     * are closed) and the writer ends. Returns once it did, so that no write of this store reaches the disk after
     * (a guest restarted on the same disk replays its log and goes on writing it).
     */
    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            closed = true;
            notifyAll();
            stopping = writer;
        }
        if (stopping == null || stopping == Thread.currentThread()) {
            return;
        }
        try {
            stopping.join(WRITER_STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            logger.error("The guest's log writer {} did not end within {} ms (its disk does not answer)",
                    stopping.getName(), WRITER_STOP_MILLIS);
        }
    }

    /** The bound of the data's size, in bytes. */
    public long maxMemoryBytes() {
        return maxMemoryBytes;
    }

    /** The data's size as the bound counts it (pending writes included). */
    public synchronized long usedMemoryBytes() {
        return committedBytes + pendingGrowth;
    }

    /** Writes refused because of the bound, since the store was made. */
    public synchronized long refusedWrites() {
        return refusedWrites;
    }

    /** Whether it refuses writes at its bound now: the last write that would have grown the data was refused. */
    public synchronized boolean refusing() {
        return refusing;
    }

    /** Commands executed, since the store was made. */
    public synchronized long commands() {
        return commandsRun;
    }

    /** Batches the log writer wrote, counted by size: 1 record, 2–3, 4–7, … , 512 and more. */
    public synchronized long[] batchesBySize() {
        return queue.batchesBySize();
    }

    /** Replays a recovered mutation (at start, from the disk's log). */
    public synchronized void replay(Mutation mutation) {
        requireQuiescent("replay");
        apply(mutation);
    }

    /** Keys, as a client sees them (pending writes included). */
    public synchronized int size() {
        int size = entries.size();
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            boolean committed = entries.containsKey(entry.getKey());
            boolean put = entry.getValue().mutation() instanceof Mutation.Put;
            size += (put && !committed ? 1 : 0) - (!put && committed ? 1 : 0);
        }
        return size;
    }

    /** A new client connection, whose replies go to {@code sink} in order. */
    public ClientReplies client(Consumer<byte[]> sink) {
        return client(-1, sink);
    }

    /** A new mirrored connection of pair-wide id {@code connection}, whose replies go to {@code sink} in order. */
    public synchronized ClientReplies client(long connection, Consumer<byte[]> sink) {
        ClientReplies client = new ClientReplies(connection, sink);
        if (connection >= 0) {
            sequencer.opened(client);
        }
        return client;
    }

    /** The connection of {@code client} ended. */
    public synchronized void disconnected(ClientReplies client) {
        if (client.connection >= 0) {
            sequencer.closed(client, System.nanoTime());
        }
    }

    /**
     * Runs one command of {@code client}; its reply (errors included: a command never throws) goes to the client's
     * sink, now or once what it depends on is durable. Waits while the queue of pending writes is full.
     */
    public void submit(ClientReplies client, List<byte[]> command) throws InterruptedException {
        submit(client, command, 0);
    }

    /** {@link #submit} with the clock the command reads ({@code clockMicros}, µs since the epoch; 0: this node's). */
    public synchronized void submit(ClientReplies client, List<byte[]> command, long clockMicros)
            throws InterruptedException {
        while (queue.full() && !closed) {
            wait();
        }
        ClientReplies.Slot slot = new ClientReplies.Slot(command);
        slot.clockMicros = clockMicros;
        if (closed) {
            slot.answered(Resp.error("ERR the guest is stopping"));
        } else {
            commandsRun++;
            run(slot);
            sequence(client, slot.clockMicros);
        }
        offer(client, slot);
    }

    /** A reply made outside the store (a DEBUG command), released in its place in the order of {@code client}. */
    public synchronized void answer(ClientReplies client, byte[] reply) {
        ClientReplies.Slot slot = new ClientReplies.Slot(null);
        slot.answered(reply);
        sequence(client, readClockMicros());
        offer(client, slot);
    }

    /** The command just run or answered takes its place in the execution order (when this store leads one). */
    private void sequence(ClientReplies client, long clockMicros) {
        long index = client.nextIndex++;
        if (client.connection >= 0 && sequencer.add(client.connection, index, clockMicros)) {
            notifyAll(); // the log writer publishes it, even with no write to make durable
        }
    }

    /** The clock of the command being run, µs since the epoch. */
    long nowMicros() {
        return nowMicros;
    }

    /** The clock of the command being run, ms since the epoch. */
    long nowMillis() {
        return nowMicros / 1000;
    }

    /** This node's clock now, µs since the epoch (LOCALTIME). */
    long localClockMicros() {
        return readClockMicros();
    }

    private long readClockMicros() {
        return clockMillis.getAsLong() * 1000 + (System.nanoTime() / 1000) % 1000;
    }

    /** Runs one command and waits for its reply (for callers outside a connection). */
    public byte[] execute(List<byte[]> command) throws InterruptedException {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        submit(client(reply::complete), command);
        try {
            return reply.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // completed with a value only
        }
    }

    private void offer(ClientReplies client, ClientReplies.Slot slot) {
        if (client.offer(slot, durableLsn)) {
            waitingClients.add(client);
        }
    }

    /** Prepares the slot's command: its reply, and the LSNs it needs durable before it may leave. */
    private void run(ClientReplies.Slot slot) {
        if (slot.clockMicros == 0) {
            slot.clockMicros = readClockMicros(); // kept: a read run again reads the same clock
        }
        nowMicros = slot.clockMicros;
        observedLsn = 0;
        ownLsn = 0;
        slot.reply = commands.execute(slot.command);
        slot.ownLsn = ownLsn;
        slot.needLsn = Math.max(observedLsn, ownLsn);
    }

    /** The error of a write that could not be made durable. */
    static byte[] notDurable(IOException failure) {
        return Resp.error("ERR the data could not be made durable (" + failure.getMessage() + "); nothing was changed");
    }

    /**
     * Within the bound, a command's write becomes pending: visible to later commands, queued for the log writer;
     * else {@link MemoryBoundReached} is thrown.
     */
    void write(List<Mutation> mutations) {
        if (mutations.isEmpty()) {
            return;
        }
        long growth = growth(mutations);
        if (growth > 0) {
            refusing = usedMemoryBytes() + growth > maxMemoryBytes;
            if (refusing) {
                refusedWrites++;
                throw new MemoryBoundReached();
            }
        }
        long lsn = ++lastLsn;
        long bytes = 0;
        for (Mutation mutation : mutations) {
            pending.put(mutation.key(), new Pending(mutation, lsn));
            bytes += mutation instanceof Mutation.Put put ? sizeOf(put) : ENTRY_OVERHEAD_BYTES + mutation.key().length();
        }
        queue.add(new CommitQueue.Record(lsn, mutations, growth, bytes));
        pendingGrowth += growth;
        ownLsn = lsn;
        notifyAll(); // the log writer
    }

    /** A command that depends on every pending write (DBSIZE, INFO). */
    void observeAllPending() {
        if (!pending.isEmpty()) {
            observedLsn = Math.max(observedLsn, lastLsn);
        }
    }

    /** The log writer's next batch: every write queued; waits for one; null once closed with none left. */
    synchronized Work nextWork() {
        while (queue.isEmpty() && !sequencer.hasRecorded() && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                // never ends the writer: it does channel I/O, which an interrupt would close; close() ends it
                logger.debug("The guest's log writer ignores an interrupt");
            }
        }
        if (queue.isEmpty() && (closed || !sequencer.hasRecorded())) {
            return null;
        }
        Sequencer.Publication order = sequencer.take();
        if (queue.isEmpty()) {
            return new Work(null, order);
        }
        writing = true;
        notifyAll(); // clients waiting for room
        return new Work(queue.take(), order);
    }

    /**
     * What the log writer does next: publish the order of the commands run since it last looked (or null), then
     * make {@code batch} durable (or null: nothing to write).
     */
    record Work(CommitQueue.Batch batch, Sequencer.Publication order) {
    }

    /**
     * Leads the execution order from now on: each command of a mirrored connection is published to {@code sink}
     * (one message per batch, from the log writer); {@code null} stops.
     */
    public synchronized void lead(Consumer<byte[]> sink) {
        sequencer.lead(sink);
    }

    /** Whether it leads the execution order. */
    public synchronized boolean leading() {
        return sequencer.leading();
    }

    /** Entries of the execution order published, and their bytes. */
    public synchronized long[] orderShipped() {
        return new long[] {sequencer.entriesShipped(), sequencer.bytesShipped()};
    }

    /** What a compaction writes: the committed data with {@code batch} applied. */
    synchronized Collection<Mutation> everythingWith(CommitQueue.Batch batch) {
        Map<String, Mutation.Put> after = new HashMap<>(entries);
        for (Mutation mutation : batch.mutations()) {
            if (mutation instanceof Mutation.Put put) {
                after.put(put.key(), put);
            } else {
                after.remove(mutation.key());
            }
        }
        return new ArrayList<>(after.values());
    }

    /**
     * The log writer wrote {@code batch} ({@code failure} null) or could not: committed in LSN order, or failed with
     * every write prepared on top of it; then the replies that can leave are released.
     */
    synchronized void settle(CommitQueue.Batch batch, IOException failure) {
        writing = false;
        if (failure == null) {
            for (CommitQueue.Record record : batch.records()) {
                for (Mutation mutation : record.mutations()) {
                    apply(mutation);
                    pending.remove(mutation.key(), new Pending(mutation, record.lsn()));
                }
                pendingGrowth -= record.growth();
            }
            durableLsn = batch.lastLsn();
        } else {
            logger.warn("The guest could not make {} write(s) durable: {}", batch.records().size(), failure.toString());
            fail(failure);
        }
        waitingClients.removeIf(client -> !client.release(durableLsn));
        notifyAll(); // clients waiting for room, and a pause waiting for quiet
    }

    /**
     * Every pending write fails (those queued after the failed batch were prepared on top of it) and the data is
     * the committed one again; a reply that observed a failed write is prepared again.
     */
    private void fail(IOException failure) {
        pending.clear();
        queue.clear();
        pendingGrowth = 0;
        for (ClientReplies client : waitingClients) {
            for (ClientReplies.Slot slot : client.waiting()) {
                if (slot.needLsn <= durableLsn) {
                    continue;
                }
                if (slot.ownLsn > durableLsn) {
                    slot.answered(notDurable(failure));
                } else {
                    run(slot); // a read of what failed: it reads again (what it read was never answered)
                }
            }
        }
    }

    /** How much the data grows when {@code mutations} apply (negative when it shrinks). */
    private long growth(List<Mutation> mutations) {
        Map<String, Long> sizes = new HashMap<>();
        long growth = 0;
        for (Mutation mutation : mutations) {
            long before = sizes.computeIfAbsent(mutation.key(), key -> sizeOf(visible(key)));
            long after = mutation instanceof Mutation.Put put ? sizeOf(put) : 0;
            sizes.put(mutation.key(), after);
            growth += after - before;
        }
        return growth;
    }

    private static long sizeOf(Mutation.Put put) {
        return put == null ? 0 : ENTRY_OVERHEAD_BYTES + put.key().length() + put.value().length;
    }

    /** Applies a durable mutation to the committed data. */
    private void apply(Mutation mutation) {
        Mutation.Put old = mutation instanceof Mutation.Put put ? entries.put(put.key(), put)
                : entries.remove(mutation.key());
        committedBytes += (mutation instanceof Mutation.Put put ? sizeOf(put) : 0) - sizeOf(old);
        changed.add(mutation.key());
    }

    /** The entry a command sees (a pending write's, observed, else the committed one), expired or not. */
    Mutation.Put visible(String key) {
        Pending write = pending.get(key);
        if (write == null) {
            return entries.get(key);
        }
        observedLsn = Math.max(observedLsn, write.lsn());
        return write.mutation() instanceof Mutation.Put put ? put : null;
    }

    /**
     * The value of a live key; an expired key is gone (lazily: a committed one is removed from memory only, as its
     * expiry is logged).
     */
    byte[] value(String key) {
        Mutation.Put put = visible(key);
        if (put == null) {
            return null;
        }
        if (put.expiresAtMillis() != 0 && put.expiresAtMillis() <= nowMillis()) {
            if (!pending.containsKey(key)) {
                committedBytes -= sizeOf(entries.remove(key));
                changed.add(key);
            }
            return null;
        }
        return put.value();
    }

    /** Checkpoints and replays see the guest quiescent: paused, nothing pending. */
    private void requireQuiescent(String what) {
        if (!pending.isEmpty() || writing) {
            throw new IllegalStateException(what + " while " + pending.size() + " key(s) have writes pending");
        }
    }

    /**
     * The state for a checkpoint: every entry (full), or the keys changed since the last capture with deleted
     * ones as deletions; then the log's cursor; then, while it leads an execution order, how many commands of each
     * mirrored connection ran (a section that a reader without it ignores: it ends the state).
     */
    public synchronized byte[] capture(boolean full) {
        requireQuiescent("a capture");
        Collection<String> keys = full ? new ArrayList<>(entries.keySet()) : new ArrayList<>(changed);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(keys.size());
            for (String key : keys) {
                Mutation.Put put = entries.get(key);
                (put != null ? put : new Mutation.Delete(key)).write(out);
            }
            byte[] cursor = durability.cursor();
            out.writeInt(cursor.length);
            out.write(cursor);
            if (sequencer.leading()) {
                Map<Long, Long> executed = sequencer.executed(System.nanoTime());
                out.writeByte(ORDER_SECTION);
                out.writeByte(ORDER_SECTION_VERSION);
                out.writeInt(executed.size());
                for (Map.Entry<Long, Long> connection : executed.entrySet()) {
                    out.writeLong(connection.getKey());
                    out.writeLong(connection.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        changed.clear();
        return bytes.toByteArray();
    }

    /**
     * Makes the state the captured one (a full one replaces everything) and continues the log at its cursor.
     * Returns how many commands of each mirrored connection the state holds the effect of, when the primary led an
     * execution order; else null.
     */
    public synchronized Map<Long, Long> restore(byte[] state, boolean full) {
        requireQuiescent("a restore");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int count = in.readInt();
            List<Mutation> mutations = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                mutations.add(Mutation.read(in));
            }
            int cursorLength = in.readInt();
            if (cursorLength < 0 || cursorLength > in.available()) {
                throw new IOException("a cursor of " + cursorLength + " bytes");
            }
            byte[] cursor = in.readNBytes(cursorLength);
            Map<Long, Long> executed = in.available() > 0 ? readOrderSection(in) : null;
            durability.continueAt(cursor);
            if (full) {
                entries.clear();
                committedBytes = 0;
            }
            mutations.forEach(this::apply);
            changed.clear();
            return executed;
        } catch (IOException e) {
            throw new IllegalStateException("the checkpoint's state cannot be read: " + e.getMessage(), e);
        }
    }

    private static Map<Long, Long> readOrderSection(DataInputStream in) throws IOException {
        int marker = in.readByte();
        int version = in.readByte();
        if (marker != ORDER_SECTION || version != ORDER_SECTION_VERSION) {
            throw new IOException("a section " + marker + " of version " + version + " after the cursor (the order's, "
                    + ORDER_SECTION + " of version " + ORDER_SECTION_VERSION + ", expected)");
        }
        int count = in.readInt();
        if (count < 0 || (long) count * 16 != in.available()) {
            throw new IOException("an order section of " + count + " connections in " + in.available() + " bytes");
        }
        Map<Long, Long> executed = new HashMap<>();
        for (int i = 0; i < count; i++) {
            executed.put(in.readLong(), in.readLong());
        }
        return executed;
    }

    /** The write would take the data above its bound. */
    static final class MemoryBoundReached extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
