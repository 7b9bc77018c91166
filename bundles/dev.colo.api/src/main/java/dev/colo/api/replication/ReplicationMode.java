package dev.colo.api.replication;

import java.util.Locale;

/** When the primary acknowledges a guest write. */
public enum ReplicationMode {
    /** When both the local disk and the secondary completed it (like DRBD protocol C): the default. */
    SYNC,
    /**
     * When the local disk completed it; the secondary's copy follows. Weaker: a write acknowledged just
     * before the primary dies may be missing on the secondary.
     */
    ASYNC;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code sync} or {@code async} (any case); the message names the accepted values. */
    public static ReplicationMode parse(String value) {
        for (ReplicationMode mode : values()) {
            if (mode.configValue().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("must be 'sync' or 'async'");
    }
}
