package dev.colo.guest.kv.internal.store;

import dev.colo.guest.kv.internal.resp.Resp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The commands the reference guest understands, a subset of Redis's (PING, ECHO, GET, SET with EX/PX/NX/XX, DEL,
 * EXISTS, INCR, INCRBY, DECR, MGET, MSET, DBSIZE, TIME, INFO, COMMAND, CONFIG GET), and LOCALTIME, this node's
 * clock: each parsed and run against what its {@link KvStore} shows (committed data and pending writes), its changes
 * handed to the store as one write. TIME and expiries read the command's clock (the primary's, on a secondary that
 * follows its order); LOCALTIME answers differently on the two nodes on purpose (tests and demonstrations of a
 * miscompare).
 * Called under the store's lock.
 */
final class Commands {
    private final KvStore store;

    Commands(KvStore store) {
        this.store = store;
    }

    /** Runs {@code command} against what the store shows and returns its reply; never throws. */
    byte[] execute(List<byte[]> command) {
        if (command.isEmpty()) {
            return Resp.error("ERR empty command");
        }
        String name = text(command.get(0)).toUpperCase(Locale.ROOT);
        try {
            return run(name, command);
        } catch (ArithmeticException e) {
            return Resp.error("ERR increment or decrement would overflow");
        } catch (NumberFormatException e) {
            return Resp.error("ERR value is not an integer or out of range");
        } catch (WrongArity e) {
            return Resp.error("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT) + "' command");
        } catch (SyntaxError e) {
            return Resp.error("ERR syntax error");
        } catch (KvStore.MemoryBoundReached e) {
            return Resp.error(KvStore.OOM_ERROR);
        }
    }

    private byte[] run(String name, List<byte[]> c) {
        switch (name) {
            case "PING":
                arity(c, 1, 2);
                return c.size() == 2 ? Resp.bulk(c.get(1)) : Resp.PONG;
            case "ECHO":
                arity(c, 2, 2);
                return Resp.bulk(c.get(1));
            case "GET":
                arity(c, 2, 2);
                return Resp.bulk(store.value(text(c.get(1))));
            case "SET":
                return set(c);
            case "DEL":
                return del(c);
            case "EXISTS":
                arity(c, 2, Integer.MAX_VALUE);
                return Resp.integer(c.subList(1, c.size()).stream()
                        .filter(key -> store.value(text(key)) != null).count());
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
                return Resp.array(c.subList(1, c.size()).stream()
                        .map(key -> Resp.bulk(store.value(text(key)))).toList());
            case "MSET":
                return mset(c);
            case "DBSIZE":
                arity(c, 1, 1);
                store.observeAllPending();
                return Resp.integer(store.size());
            case "TIME":
                arity(c, 1, 1);
                return time(store.nowMicros());
            case "LOCALTIME":
                // this node's clock, never the primary's: the one reply that differs between the guests by design
                arity(c, 1, 1);
                return time(store.localClockMicros());
            case "INFO":
                store.observeAllPending();
                return Resp.bulk("# Server\r\nredis_version:7.0.0-colo\r\ncolo_guest:kv\r\n# Keyspace\r\ndb0:keys="
                        + store.size() + ",expires=0\r\n# Memory\r\nused_memory:" + store.usedMemoryBytes()
                        + "\r\nmaxmemory:" + store.maxMemoryBytes() + "\r\n# Stats\r\ntotal_commands_processed:"
                        + store.commands() + "\r\n");
            case "COMMAND":
                return Resp.array(List.of()); // redis-cli asks for its hints; it does without them
            case "CONFIG":
                return config(c);
            default:
                return Resp.error("ERR unknown command '" + name.toLowerCase(Locale.ROOT) + "'");
        }
    }

    private static byte[] time(long micros) {
        return Resp.array(List.of(Resp.bulk(Long.toString(micros / 1_000_000)),
                Resp.bulk(Long.toString(micros % 1_000_000))));
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

    private byte[] set(List<byte[]> c) {
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
                    expiresAt = store.nowMillis() + (option.equals("EX") ? amount * 1000 : amount);
                }
                case "NX" -> onlyIfAbsent = true;
                case "XX" -> onlyIfPresent = true;
                default -> throw new SyntaxError();
            }
        }
        if (onlyIfAbsent && onlyIfPresent) {
            throw new SyntaxError();
        }
        boolean exists = store.value(key) != null;
        if ((onlyIfAbsent && exists) || (onlyIfPresent && !exists)) {
            return Resp.NULL_BULK;
        }
        store.write(List.of(new Mutation.Put(key, c.get(2), expiresAt)));
        return Resp.OK;
    }

    private byte[] del(List<byte[]> c) {
        arity(c, 2, Integer.MAX_VALUE);
        List<Mutation> deletes = new ArrayList<>();
        for (byte[] key : c.subList(1, c.size())) {
            String k = text(key);
            if (store.value(k) != null && deletes.stream().noneMatch(d -> d.key().equals(k))) {
                deletes.add(new Mutation.Delete(k));
            }
        }
        store.write(deletes);
        return Resp.integer(deletes.size());
    }

    private byte[] mset(List<byte[]> c) {
        if (c.size() < 3 || c.size() % 2 == 0) {
            throw new WrongArity();
        }
        List<Mutation> puts = new ArrayList<>();
        for (int i = 1; i < c.size(); i += 2) {
            puts.add(new Mutation.Put(text(c.get(i)), c.get(i + 1), 0));
        }
        store.write(puts);
        return Resp.OK;
    }

    private byte[] incrBy(String key, long by) {
        byte[] current = store.value(key);
        long value = current == null ? 0 : Long.parseLong(text(current));
        long next = Math.addExact(value, by);
        Mutation.Put old = store.visible(key);
        store.write(List.of(new Mutation.Put(key, Long.toString(next).getBytes(StandardCharsets.US_ASCII),
                old == null ? 0 : old.expiresAtMillis())));
        return Resp.integer(next);
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

    /** The command's options do not parse. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
