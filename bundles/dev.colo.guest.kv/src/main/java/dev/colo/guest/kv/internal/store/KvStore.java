package dev.colo.guest.kv.internal.store;

import dev.colo.guest.kv.internal.resp.Resp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The reference guest's data: keys and values, executing a subset of the Redis commands (PING, ECHO, GET,
 * SET with EX/PX/NX/XX, DEL, EXISTS, INCR, INCRBY, DECR, MGET, MSET, DBSIZE, TIME, INFO, COMMAND, CONFIG GET).
 * A command that changes data is made durable ({@link Durability}) before it is applied and answered; if that
 * fails the command fails and changes nothing. Keys with an expiry vanish lazily, when next touched. Its
 * state is captured whole or as the keys changed since the last capture, and restored on the secondary.
 * Thread-safe: one command at a time.
 *
 * <p>Its memory is bounded like Redis's {@code maxmemory}: a write that would take the data above the bound is
 * refused with Redis's {@code -OOM} error and changes nothing; writes that shrink the data always pass. The
 * data's size is counted as keys and values plus {@value #ENTRY_OVERHEAD_BYTES} bytes per key. Data recovered
 * from the disk or restored from a checkpoint is taken whatever its size (it was acknowledged).
 */
public final class KvStore {
    /** What a key costs beyond its key and value: the map entry, the record, the array headers. */
    public static final int ENTRY_OVERHEAD_BYTES = 96;
    static final String OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

    private final Map<String, Mutation.Put> entries = new HashMap<>();
    private final Set<String> changed = new HashSet<>();
    private final Durability durability;
    private final LongSupplier clockMillis;
    private final long maxMemoryBytes;
    private long usedMemoryBytes;
    private long commands;
    private long refusedWrites;
    /** Whether the last write that would have grown the data was refused. */
    private boolean refusing;

    /** @param maxMemoryBytes the bound of the data's size (see the class comment) */
    public KvStore(Durability durability, LongSupplier clockMillis, long maxMemoryBytes) {
        this.durability = durability;
        this.clockMillis = clockMillis;
        this.maxMemoryBytes = maxMemoryBytes;
    }

    /** The bound of the data's size, in bytes. */
    public long maxMemoryBytes() {
        return maxMemoryBytes;
    }

    /** The data's size as the bound counts it. */
    public synchronized long usedMemoryBytes() {
        return usedMemoryBytes;
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
        return commands;
    }

    /** Replays a recovered mutation (at start, from the disk's log). */
    public synchronized void replay(Mutation mutation) {
        apply(mutation);
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Executes one command; returns its encoded reply (errors included: a command never throws). */
    public synchronized byte[] execute(List<byte[]> command) {
        commands++;
        if (command.isEmpty()) {
            return Resp.error("ERR empty command");
        }
        String name = text(command.get(0)).toUpperCase(Locale.ROOT);
        try {
            return run(name, command);
        } catch (IOException e) {
            return Resp.error("ERR the data could not be made durable (" + e.getMessage() + "); nothing was changed");
        } catch (ArithmeticException e) {
            return Resp.error("ERR increment or decrement would overflow");
        } catch (NumberFormatException e) {
            return Resp.error("ERR value is not an integer or out of range");
        } catch (WrongArity e) {
            return Resp.error("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT) + "' command");
        } catch (SyntaxError e) {
            return Resp.error("ERR syntax error");
        } catch (MemoryBoundReached e) {
            refusedWrites++;
            return Resp.error(OOM_ERROR);
        }
    }

    private byte[] run(String name, List<byte[]> c) throws IOException {
        switch (name) {
            case "PING":
                arity(c, 1, 2);
                return c.size() == 2 ? Resp.bulk(c.get(1)) : Resp.PONG;
            case "ECHO":
                arity(c, 2, 2);
                return Resp.bulk(c.get(1));
            case "GET":
                arity(c, 2, 2);
                return Resp.bulk(value(text(c.get(1))));
            case "SET":
                return set(c);
            case "DEL":
                return del(c);
            case "EXISTS":
                arity(c, 2, Integer.MAX_VALUE);
                return Resp.integer(c.subList(1, c.size()).stream().filter(key -> value(text(key)) != null).count());
            case "INCR":
                arity(c, 2, 2);
                return incrBy(text(c.get(1)), 1);
            case "DECR":
                arity(c, 2, 2);
                return incrBy(text(c.get(1)), -1);
            case "INCRBY":
                arity(c, 3, 3);
                return incrBy(text(c.get(1)), Long.parseLong(text(c.get(2))));
            case "MGET":
                arity(c, 2, Integer.MAX_VALUE);
                return Resp.array(c.subList(1, c.size()).stream().map(key -> Resp.bulk(value(text(key)))).toList());
            case "MSET":
                return mset(c);
            case "DBSIZE":
                arity(c, 1, 1);
                return Resp.integer(entries.size());
            case "TIME":
                arity(c, 1, 1);
                long micros = clockMillis.getAsLong() * 1000 + (System.nanoTime() / 1000) % 1000;
                return Resp.array(List.of(Resp.bulk(Long.toString(micros / 1_000_000)),
                        Resp.bulk(Long.toString(micros % 1_000_000))));
            case "INFO":
                return Resp.bulk("# Server\r\nredis_version:7.0.0-colo\r\ncolo_guest:kv\r\n# Keyspace\r\ndb0:keys="
                        + entries.size() + ",expires=0\r\n# Memory\r\nused_memory:" + usedMemoryBytes + "\r\nmaxmemory:"
                        + maxMemoryBytes + "\r\n# Stats\r\ntotal_commands_processed:" + commands + "\r\n");
            case "COMMAND":
                return Resp.array(List.of()); // redis-cli asks for its hints; it does without them
            case "CONFIG":
                return config(c);
            default:
                return Resp.error("ERR unknown command '" + name.toLowerCase(Locale.ROOT) + "'");
        }
    }

    /** CONFIG GET of what redis-benchmark asks (the guest persists by its log, not by RDB or AOF). */
    private static byte[] config(List<byte[]> c) {
        if (c.size() != 3 || !text(c.get(1)).equalsIgnoreCase("GET")) {
            return Resp.error("ERR only CONFIG GET is supported");
        }
        String parameter = text(c.get(2)).toLowerCase(Locale.ROOT);
        Map<String, String> known = Map.of("save", "", "appendonly", "no");
        return known.containsKey(parameter) ? Resp.array(List.of(Resp.bulk(parameter), Resp.bulk(known.get(parameter))))
                : Resp.array(List.of());
    }

    private byte[] set(List<byte[]> c) throws IOException {
        arity(c, 3, 6);
        String key = text(c.get(1));
        long expiresAt = 0;
        boolean onlyIfAbsent = false;
        boolean onlyIfPresent = false;
        for (int i = 3; i < c.size(); i++) {
            String option = text(c.get(i)).toUpperCase(Locale.ROOT);
            switch (option) {
                case "EX", "PX" -> {
                    if (i + 1 >= c.size() || expiresAt != 0) {
                        throw new SyntaxError();
                    }
                    long amount = Long.parseLong(text(c.get(++i)));
                    if (amount <= 0) {
                        return Resp.error("ERR invalid expire time in 'set' command");
                    }
                    expiresAt = clockMillis.getAsLong() + (option.equals("EX") ? amount * 1000 : amount);
                }
                case "NX" -> onlyIfAbsent = true;
                case "XX" -> onlyIfPresent = true;
                default -> throw new SyntaxError();
            }
        }
        if (onlyIfAbsent && onlyIfPresent) {
            throw new SyntaxError();
        }
        boolean exists = value(key) != null;
        if ((onlyIfAbsent && exists) || (onlyIfPresent && !exists)) {
            return Resp.NULL_BULK;
        }
        commit(List.of(new Mutation.Put(key, c.get(2), expiresAt)));
        return Resp.OK;
    }

    private byte[] del(List<byte[]> c) throws IOException {
        arity(c, 2, Integer.MAX_VALUE);
        List<Mutation> deletes = new ArrayList<>();
        for (byte[] key : c.subList(1, c.size())) {
            String k = text(key);
            if (value(k) != null && deletes.stream().noneMatch(d -> d.key().equals(k))) {
                deletes.add(new Mutation.Delete(k));
            }
        }
        commit(deletes);
        return Resp.integer(deletes.size());
    }

    private byte[] mset(List<byte[]> c) throws IOException {
        if (c.size() < 3 || c.size() % 2 == 0) {
            throw new WrongArity();
        }
        List<Mutation> puts = new ArrayList<>();
        for (int i = 1; i < c.size(); i += 2) {
            puts.add(new Mutation.Put(text(c.get(i)), c.get(i + 1), 0));
        }
        commit(puts);
        return Resp.OK;
    }

    private byte[] incrBy(String key, long by) throws IOException {
        byte[] current = value(key);
        long value = current == null ? 0 : Long.parseLong(text(current));
        long next = Math.addExact(value, by);
        Mutation.Put old = entries.get(key);
        commit(List.of(new Mutation.Put(key, Long.toString(next).getBytes(StandardCharsets.US_ASCII),
                old == null ? 0 : old.expiresAtMillis())));
        return Resp.integer(next);
    }

    /** Within the bound, durable first, then applied: an acknowledged write is on the disk. */
    private void commit(List<Mutation> mutations) throws IOException {
        if (mutations.isEmpty()) {
            return;
        }
        long growth = growth(mutations);
        if (growth > 0) {
            refusing = usedMemoryBytes + growth > maxMemoryBytes;
            if (refusing) {
                throw new MemoryBoundReached();
            }
        }
        durability.append(mutations, () -> {
            Map<String, Mutation.Put> after = new HashMap<>(entries);
            for (Mutation mutation : mutations) {
                if (mutation instanceof Mutation.Put put) {
                    after.put(put.key(), put);
                } else {
                    after.remove(mutation.key());
                }
            }
            return new ArrayList<Mutation>(after.values());
        });
        mutations.forEach(this::apply);
    }

    /** How much the data grows when {@code mutations} apply (negative when it shrinks). */
    private long growth(List<Mutation> mutations) {
        Map<String, Long> sizes = new HashMap<>();
        long growth = 0;
        for (Mutation mutation : mutations) {
            long before = sizes.computeIfAbsent(mutation.key(), key -> sizeOf(entries.get(key)));
            long after = mutation instanceof Mutation.Put put ? sizeOf(put) : 0;
            sizes.put(mutation.key(), after);
            growth += after - before;
        }
        return growth;
    }

    private static long sizeOf(Mutation.Put put) {
        return put == null ? 0 : ENTRY_OVERHEAD_BYTES + put.key().length() + put.value().length;
    }

    private void apply(Mutation mutation) {
        Mutation.Put old = mutation instanceof Mutation.Put put ? entries.put(put.key(), put)
                : entries.remove(mutation.key());
        usedMemoryBytes += (mutation instanceof Mutation.Put put ? sizeOf(put) : 0) - sizeOf(old);
        changed.add(mutation.key());
    }

    private void remove(String key) {
        usedMemoryBytes -= sizeOf(entries.remove(key));
        changed.add(key);
    }

    /** The value of a live key; an expired key is gone (lazily: removed from memory only, as its expiry is logged). */
    private byte[] value(String key) {
        Mutation.Put put = entries.get(key);
        if (put == null) {
            return null;
        }
        if (put.expiresAtMillis() != 0 && put.expiresAtMillis() <= clockMillis.getAsLong()) {
            remove(key);
            return null;
        }
        return put.value();
    }

    /**
     * The state for a checkpoint: every entry (full), or the keys changed since the last capture with deleted
     * ones as deletions; then the log's cursor.
     */
    public synchronized byte[] capture(boolean full) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        changed.clear();
        return bytes.toByteArray();
    }

    /** Makes the state the captured one (a full one replaces everything) and continues the log at its cursor. */
    public synchronized void restore(byte[] state, boolean full) {
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
            durability.continueAt(cursor);
            if (full) {
                entries.clear();
                usedMemoryBytes = 0;
            }
            mutations.forEach(this::apply);
            changed.clear();
        } catch (IOException e) {
            throw new IllegalStateException("the checkpoint's state cannot be read: " + e.getMessage(), e);
        }
    }

    private static void arity(List<byte[]> command, int min, int max) {
        if (command.size() < min || command.size() > max) {
            throw new WrongArity();
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The command has the wrong number of arguments. */
    private static final class WrongArity extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** The write would take the data above its bound. */
    private static final class MemoryBoundReached extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** The command's options do not parse. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
