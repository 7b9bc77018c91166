package dev.colo.api;

import java.util.Locale;

/** The part a node plays in its pair. A node's role changes only at failover or re-protection. */
public enum Role {
    /** Serves clients; its guest's output is released once the secondary reproduced it. */
    PRIMARY,
    /** Runs the second copy of the guest, fed with mirrored input; takes over when the primary dies. */
    SECONDARY;

    /** The lowercase name used in configuration files, events and MQTT topics. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code primary} or {@code secondary} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Role parse(String value) {
        if (value != null) {
            for (Role role : values()) {
                if (role.configValue().equalsIgnoreCase(value.trim())) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("must be 'primary' or 'secondary'");
    }
}
