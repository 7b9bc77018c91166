package dev.colo.replication.internal.config;

import dev.colo.api.config.ConfigReader;
import dev.colo.api.replication.ReplicationMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated configuration of one protected disk (factory PID {@value #PID}). {@link #parse} checks
 * syntax and ranges and that no file is named twice; {@link DiskFiles} checks the files themselves.
 *
 * @param localPath      the local disk: the primary's disk, or S on a secondary
 * @param activePath     the active overlay A (used when this node is secondary)
 * @param hiddenPath     the hidden overlay H (used when this node is secondary)
 * @param generationPath where the disk's generation identifiers are kept
 * @param initialGeneration the generation a fresh disk starts with (the same on both nodes for disks created
 *                       empty together), 0 for a random one
 * @param sizeBytes      the disk size; a missing local disk is created sparse of it (0: use the existing size)
 * @param replicationPort where this node takes its primary's writes when it is secondary (mutual TLS)
 * @param peerReplicationPort where the peer takes this node's writes when this node is primary
 * @param exportPort     the local NBD export of the guest's view, 0 for none
 * @param resyncBytesPerSecond rate limit of resynchronisation, 0 for none
 */
public record DiskSettings(String name, Path localPath, Path activePath, Path hiddenPath, long sizeBytes,
        ReplicationMode mode, int blockBytes, Path bitmapPath, Path journalPath, Path generationPath,
        long initialGeneration, int replicationPort,
        int peerReplicationPort, String exportBindAddress, int exportPort, long forwardTimeoutMillis,
        long resyncBytesPerSecond) {

    public static final String PID = "dev.colo.replication.disk";

    public static final String NAME = "name";
    public static final String LOCAL_PATH = "local.path";
    public static final String ACTIVE_PATH = "active.path";
    public static final String HIDDEN_PATH = "hidden.path";
    public static final String SIZE_BYTES = "size.bytes";
    public static final String MODE = "mode";
    public static final String BLOCK_BYTES = "block.size.bytes";
    public static final String BITMAP_PATH = "bitmap.path";
    public static final String JOURNAL_PATH = "journal.path";
    public static final String GENERATION_PATH = "generation.path";
    public static final String INITIAL_GENERATION = "initial.generation";
    public static final String REPLICATION_PORT = "replication.port";
    public static final String PEER_REPLICATION_PORT = "peer.replication.port";
    public static final String EXPORT_BIND_ADDRESS = "export.bind.address";
    public static final String EXPORT_PORT = "export.port";
    public static final String FORWARD_TIMEOUT_MS = "forward.timeout.ms";
    public static final String RESYNC_RATE = "resync.rate.bytes.per.second";
    public static final List<String> KEYS = List.of(NAME, LOCAL_PATH, ACTIVE_PATH, HIDDEN_PATH, SIZE_BYTES, MODE,
            BLOCK_BYTES, BITMAP_PATH, JOURNAL_PATH, GENERATION_PATH, INITIAL_GENERATION, REPLICATION_PORT, PEER_REPLICATION_PORT, EXPORT_BIND_ADDRESS,
            EXPORT_PORT, FORWARD_TIMEOUT_MS, RESYNC_RATE);

    static final int DEFAULT_BLOCK_BYTES = 4096;
    static final long DEFAULT_FORWARD_TIMEOUT_MS = 3000;
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ADDRESS_PATTERN = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");

    /** @throws dev.colo.api.config.InvalidConfigurationException naming the key and value */
    public static DiskSettings parse(Map<String, ?> properties) {
        ConfigReader config = new ConfigReader(PID, properties);
        String name = config.required(NAME);
        if (!NAME_PATTERN.matcher(name).matches()) {
            throw config.invalid(NAME, name, "must be 1-64 of [A-Za-z0-9._-], starting with a letter or digit");
        }
        Path local = config.absolutePath(LOCAL_PATH);
        Path active = config.absolutePath(ACTIVE_PATH);
        Path hidden = config.absolutePath(HIDDEN_PATH);
        long size = config.longInRange(SIZE_BYTES, 0, 0, Long.MAX_VALUE);
        ReplicationMode mode = mode(config);
        int blockBytes = config.intInRange(BLOCK_BYTES, DEFAULT_BLOCK_BYTES, 512, 1 << 20);
        if (Integer.bitCount(blockBytes) != 1) {
            throw config.invalid(BLOCK_BYTES, blockBytes, "must be a power of two");
        }
        Path bitmap = optionalPath(config, BITMAP_PATH).orElse(sibling(local, ".colo-dirty"));
        Path journal = optionalPath(config, JOURNAL_PATH).orElse(sibling(local, ".colo-commit"));
        Path generation = optionalPath(config, GENERATION_PATH).orElse(sibling(local, ".colo-generation"));
        long initialGeneration = initialGeneration(config);
        int replicationPort = config.port(REPLICATION_PORT, 10810);
        int peerReplicationPort = config.port(PEER_REPLICATION_PORT, replicationPort);
        String exportBind = config.optional(EXPORT_BIND_ADDRESS, "127.0.0.1");
        if (!ADDRESS_PATTERN.matcher(exportBind).matches()) {
            throw config.invalid(EXPORT_BIND_ADDRESS, exportBind, "not a host name or IP address");
        }
        int exportPort = config.intInRange(EXPORT_PORT, 0, 0, 65535);
        long timeout = config.longInRange(FORWARD_TIMEOUT_MS, DEFAULT_FORWARD_TIMEOUT_MS, 100, 600_000);
        long resyncRate = config.longInRange(RESYNC_RATE, 0, 0, Long.MAX_VALUE);
        requireDistinct(config, Map.of(LOCAL_PATH, local, ACTIVE_PATH, active, HIDDEN_PATH, hidden, BITMAP_PATH,
                bitmap, JOURNAL_PATH, journal, GENERATION_PATH, generation));
        return new DiskSettings(name, local, active, hidden, size, mode, blockBytes, bitmap, journal, generation,
                initialGeneration, replicationPort,
                peerReplicationPort, exportBind, exportPort, timeout, resyncRate);
    }

    /** Keys present that this component does not know (probably misspelt); framework keys are ignored. */
    public static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(PID, properties).unknownKeys(KEYS);
    }

    private static ReplicationMode mode(ConfigReader config) {
        String raw = config.optional(MODE, ReplicationMode.SYNC.configValue());
        try {
            return ReplicationMode.parse(raw);
        } catch (IllegalArgumentException e) {
            throw config.invalid(MODE, raw, e.getMessage());
        }
    }

    /** A hex id given to both nodes when their disks were created empty together (0: none, a full first copy). */
    private static long initialGeneration(ConfigReader config) {
        String raw = config.text(INITIAL_GENERATION);
        if (raw.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(raw, 16);
        } catch (NumberFormatException e) {
            throw config.invalid(INITIAL_GENERATION, raw, "must be up to 16 hexadecimal digits");
        }
    }

    private static Optional<Path> optionalPath(ConfigReader config, String key) {
        String raw = config.text(key);
        return raw.isEmpty() ? Optional.empty() : Optional.of(config.absolutePath(key, raw));
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** The same file under two keys would be overwritten by one role of it: refused, naming both keys. */
    private static void requireDistinct(ConfigReader config, Map<String, Path> files) {
        Map<Path, String> seen = new HashMap<>();
        for (String key : List.of(LOCAL_PATH, ACTIVE_PATH, HIDDEN_PATH, BITMAP_PATH, JOURNAL_PATH, GENERATION_PATH)) {
            Path file = files.get(key).normalize();
            String other = seen.putIfAbsent(file, key);
            if (other != null) {
                throw config.invalid(key, file, "is the same file as " + other);
            }
        }
    }
}
