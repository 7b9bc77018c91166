package dev.colo.failover.internal.config;

import dev.colo.api.config.ConfigReader;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The validated configuration of the failover controller (PID {@value #PID}; optional: every key has a
 * default). {@link #parse} throws an {@link dev.colo.api.config.InvalidConfigurationException} naming the key
 * and quoting the value.
 *
 * @param automatic       whether the secondary fails over by itself when the primary is DEAD
 * @param fencing         how the old primary is made sure not to serve before this node does
 * @param fencingCommand  with {@link Fencing#COMMAND}: run by {@code /bin/sh -c}; exit status 0 means fenced
 * @param takeoverCommand run (by {@code /bin/sh -c}) once this node is the primary, e.g. to move a floating IP;
 *                        empty for none
 */
public record FailoverSettings(boolean automatic, Fencing fencing, String fencingCommand, long fencingTimeoutMillis,
        String takeoverCommand, long commitTimeoutMillis) {
    public static final String PID = "dev.colo.failover";
    public static final String AUTOMATIC = "automatic";
    public static final String FENCING = "fencing";
    public static final String FENCING_COMMAND = "fencing.command";
    public static final String FENCING_TIMEOUT_MS = "fencing.timeout.ms";
    public static final String TAKEOVER_COMMAND = "takeover.command";
    public static final String COMMIT_TIMEOUT_MS = "commit.timeout.ms";
    public static final List<String> KEYS = List.of(AUTOMATIC, FENCING, FENCING_COMMAND, FENCING_TIMEOUT_MS,
            TAKEOVER_COMMAND, COMMIT_TIMEOUT_MS);

    /** The fencing policy (DESIGN §8). */
    public enum Fencing {
        /** Nothing makes sure the old primary stopped: if it is alive but unreachable, both serve. Risky. */
        NONE,
        /** A command decides: exit status 0 means the old primary is fenced (powered off, cut off, ...). */
        COMMAND
    }

    public static FailoverSettings parse(Map<String, ?> properties) {
        ConfigReader config = new ConfigReader(PID, properties);
        boolean automatic = bool(config, AUTOMATIC, true);
        String fencingText = config.optional(FENCING, "none").trim().toUpperCase(Locale.ROOT);
        Fencing fencing;
        try {
            fencing = Fencing.valueOf(fencingText);
        } catch (IllegalArgumentException e) {
            throw config.invalid(FENCING, config.text(FENCING), "must be one of [none, command]");
        }
        String command = config.optional(FENCING_COMMAND, "").trim();
        if (fencing == Fencing.COMMAND && command.isEmpty()) {
            throw config.invalid(FENCING_COMMAND, "", "is required with fencing = command");
        }
        long fencingTimeout = config.longInRange(FENCING_TIMEOUT_MS, 5000, 10, 600_000);
        String takeover = config.optional(TAKEOVER_COMMAND, "").trim();
        long commitTimeout = config.longInRange(COMMIT_TIMEOUT_MS, 60_000, 100, 3_600_000);
        return new FailoverSettings(automatic, fencing, command, fencingTimeout, takeover, commitTimeout);
    }

    public static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(PID, properties).unknownKeys(KEYS);
    }

    private static boolean bool(ConfigReader config, String key, boolean defaultValue) {
        String value = config.optional(key, Boolean.toString(defaultValue)).trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw config.invalid(key, value, "must be true or false");
        }
        return Boolean.parseBoolean(value);
    }
}
