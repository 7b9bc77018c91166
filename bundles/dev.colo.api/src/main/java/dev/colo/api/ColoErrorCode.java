package dev.colo.api;

import java.util.Locale;

/**
 * Every error the appliance reports, with the message template it is reported with. The template's
 * {@code %s} placeholders are filled in order by {@link #format(Object...)}.
 */
public enum ColoErrorCode {
    /** A configuration value was refused: {@code pid, key, value, reason}. */
    CONFIG_INVALID("Configuration %s: key '%s' has invalid value '%s': %s"),
    /** A required configuration key is absent: {@code pid, key}. */
    CONFIG_MISSING("Configuration %s: required key '%s' is missing"),
    /** A key or trust store could not be loaded: {@code key, path, reason}. */
    TLS_MATERIAL_UNUSABLE("TLS material '%s' (%s) cannot be used: %s"),
    /** The peer presented no certificate or one we do not trust: {@code remote address, reason}. */
    PEER_UNTRUSTED("Peer %s refused: %s"),
    /** The peer spoke something other than our frame protocol: {@code remote address, reason}. */
    PEER_PROTOCOL_VIOLATION("Peer %s violated the link protocol: %s"),
    /** A frame declared a length above the configured maximum: {@code remote address, length, maximum}. */
    FRAME_TOO_LARGE("Peer %s sent a frame of %s bytes, above the maximum of %s"),
    /** A frame did not start with the protocol magic: {@code remote address, magic found}. */
    FRAME_BAD_MAGIC("Peer %s sent a frame with bad magic 0x%s"),
    /** A message could not be sent because the link is down: {@code channel, message type}. */
    LINK_DOWN("Peer link down: cannot send %s message '%s'");

    private final String template;

    ColoErrorCode(String template) {
        this.template = template;
    }

    /** The message template with {@code %s} placeholders. */
    public String template() {
        return template;
    }

    /** Fills the template, prefixed with the code name, e.g. {@code CONFIG_INVALID: Configuration …}. */
    public String format(Object... args) {
        return name() + ": " + String.format(Locale.ROOT, template, args);
    }
}
