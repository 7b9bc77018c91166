package dev.colo.guest.kv.internal.component;

import dev.colo.api.config.ConfigReader;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated configuration of the reference guest (PID {@value #PID}). {@link #parse} throws an
 * {@link dev.colo.api.config.InvalidConfigurationException} naming the key and quoting the value.
 *
 * @param disk            the protected disk ({@code colo.disk.name}) the guest keeps its log on
 * @param maxMemoryBytes  the bound of the data (Redis's {@code maxmemory}); by default an eighth of the heap
 * @param maxBulkBytes    the largest value or argument a client may send (Redis's {@code proto-max-bulk-len})
 * @param debugCommands   whether {@code DEBUG} (fault injection for tests) is allowed
 * @param watchdogMillis  how long commands may be in progress without one completing before the guest is
 *                        taken for hung
 * @param maxPendingWrites at most this many writes wait for the log writer (the group commit's queue) ...
 * @param maxPendingBytes ... or this many bytes of them; a client beyond either waits
 * @param ordering        whether the guest leads (primary) and follows (secondary) an execution order
 * @param orderTimeoutMillis how long the secondary waits for an ordered command before it stops following
 */
public record GuestSettings(String name, String listenAddress, int listenPort, String disk, long maxMemoryBytes,
        int maxBulkBytes, boolean debugCommands, long watchdogMillis, int maxPendingWrites, long maxPendingBytes,
        boolean ordering, long orderTimeoutMillis) {
    public static final String PID = "dev.colo.guest.kv";
    public static final String NAME = "name";
    public static final String LISTEN_ADDRESS = "listen.address";
    public static final String LISTEN_PORT = "listen.port";
    public static final String DISK = "disk";
    public static final String MAX_MEMORY_BYTES = "max.memory.bytes";
    public static final String PROTO_MAX_BULK_LEN = "proto.max.bulk.len";
    public static final String DEBUG_COMMANDS = "debug.commands";
    public static final String WATCHDOG_TIMEOUT_MS = "watchdog.timeout.ms";
    public static final String MAX_PENDING_WRITES = "max.pending.writes";
    public static final String MAX_PENDING_BYTES = "max.pending.bytes";
    public static final String ORDERING = "ordering";
    public static final String ORDER_TIMEOUT_MS = "order.timeout.ms";
    public static final List<String> KEYS = List.of(NAME, LISTEN_ADDRESS, LISTEN_PORT, DISK, MAX_MEMORY_BYTES,
            PROTO_MAX_BULK_LEN, DEBUG_COMMANDS, WATCHDOG_TIMEOUT_MS, MAX_PENDING_WRITES, MAX_PENDING_BYTES, ORDERING,
            ORDER_TIMEOUT_MS);
    /** The smallest bound worth running with. */
    static final long MIN_MEMORY_BYTES = 1L << 20;
    static final int DEFAULT_MAX_BULK_BYTES = 16 << 20;
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static GuestSettings parse(Map<String, ?> properties) {
        return parse(properties, Runtime.getRuntime().maxMemory());
    }

    /** @param heapBytes the node's heap, of which the default memory bound is an eighth */
    static GuestSettings parse(Map<String, ?> properties, long heapBytes) {
        ConfigReader config = new ConfigReader(PID, properties);
        String name = config.optional(NAME, "kv");
        if (!NAME_PATTERN.matcher(name).matches()) {
            throw config.invalid(NAME, name, "must be 1-64 of [A-Za-z0-9._-], starting with a letter or digit");
        }
        String address = config.optional(LISTEN_ADDRESS, "127.0.0.1");
        int port = config.port(LISTEN_PORT, 0);
        if (port == 0) {
            throw config.invalid(LISTEN_PORT, config.text(LISTEN_PORT), "a port (1-65535) is required");
        }
        String disk = config.required(DISK);
        if (!NAME_PATTERN.matcher(disk).matches()) {
            throw config.invalid(DISK, disk, "not a disk name");
        }
        // the data, its log's compaction and a full checkpoint's capture each hold it once more at worst
        long maxMemory = config.longInRange(MAX_MEMORY_BYTES, Math.max(MIN_MEMORY_BYTES, heapBytes / 8),
                MIN_MEMORY_BYTES, Math.max(MIN_MEMORY_BYTES, heapBytes / 2));
        int maxBulk = config.intInRange(PROTO_MAX_BULK_LEN, (int) Math.min(DEFAULT_MAX_BULK_BYTES, maxMemory),
                1024, Integer.MAX_VALUE - 64);
        if (maxBulk > maxMemory) {
            throw config.invalid(PROTO_MAX_BULK_LEN, config.text(PROTO_MAX_BULK_LEN),
                    "must not exceed " + MAX_MEMORY_BYTES + " (" + maxMemory + "): such a value could never be stored");
        }
        boolean debug = config.bool(DEBUG_COMMANDS, false);
        long watchdog = config.longInRange(WATCHDOG_TIMEOUT_MS, 10_000, 100, 3_600_000);
        int pendingWrites = config.intInRange(MAX_PENDING_WRITES, 4096, 1, 1_000_000);
        long pendingBytes = config.longInRange(MAX_PENDING_BYTES, Math.min(16L << 20, maxMemory / 4), 64 * 1024,
                maxMemory);
        boolean ordering = config.bool(ORDERING, true);
        long orderTimeout = config.longInRange(ORDER_TIMEOUT_MS, 2_000, 10, 600_000);
        return new GuestSettings(name, address, port, disk, maxMemory, maxBulk, debug, watchdog, pendingWrites,
                pendingBytes, ordering, orderTimeout);
    }

    public static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(PID, properties).unknownKeys(KEYS);
    }
}
