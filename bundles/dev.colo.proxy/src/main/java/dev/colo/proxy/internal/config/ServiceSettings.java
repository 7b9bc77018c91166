package dev.colo.proxy.internal.config;

import dev.colo.api.config.ConfigReader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated configuration of one protected service (factory PID {@value #PID}), the same on both nodes
 * but for the guest endpoint. {@link #parse} throws an
 * {@link dev.colo.api.config.InvalidConfigurationException} naming the key and quoting the value.
 *
 * @param listenAddress     where clients connect (used on the primary)
 * @param guestHost         this node's guest, which the proxy forwards to (mirrored input on the secondary)
 * @param compareTimeoutMillis held output older than this requests a checkpoint
 * @param maxHeldBytes      per connection or flow: held output at which {@code atBound} applies
 * @param maxConnections    connections (or UDP flows) at once; more are refused
 * @param watchdogTimeoutMillis held output older than this (nothing released it: no match, no checkpoint, no loss of
 *                          the secondary), or a timer that has not run for this long, is a hung proxy
 */
public record ServiceSettings(String name, Protocol protocol, String listenAddress, int listenPort, String guestHost,
        int guestPort, long compareTimeoutMillis, long maxHeldBytes, int maxConnections, AtBound atBound,
        long watchdogTimeoutMillis) {

    public static final String PID = "dev.colo.proxy.service";

    public static final String NAME = "name";
    public static final String PROTOCOL = "protocol";
    public static final String LISTEN_ADDRESS = "listen.address";
    public static final String LISTEN_PORT = "listen.port";
    public static final String GUEST_HOST = "guest.host";
    public static final String GUEST_PORT = "guest.port";
    public static final String COMPARE_TIMEOUT_MS = "compare.timeout.ms";
    public static final String MAX_HELD_BYTES = "max.held.bytes";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String AT_BOUND = "at.bound";
    public static final String WATCHDOG_TIMEOUT_MS = "watchdog.timeout.ms";
    public static final List<String> KEYS = List.of(NAME, PROTOCOL, LISTEN_ADDRESS, LISTEN_PORT, GUEST_HOST, GUEST_PORT,
            COMPARE_TIMEOUT_MS, MAX_HELD_BYTES, MAX_CONNECTIONS, AT_BOUND, WATCHDOG_TIMEOUT_MS);

    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ADDRESS_PATTERN = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");

    /** The transport of a service. */
    public enum Protocol {
        /** Compared per connection, as a byte stream. */
        TCP,
        /** Compared per flow (client address and port), datagram by datagram. */
        UDP
    }

    /** What happens when a connection's held output reaches {@code max.held.bytes}. */
    public enum AtBound {
        /** Request a checkpoint (held output is then released); the default for UDP. */
        CHECKPOINT,
        /**
         * Stop reading the primary guest's output for that connection until held output falls below half the
         * bound (the secondary is behind: a difference of pace, not of state); the default for TCP. The compare
         * timeout still asks for a checkpoint when the secondary does not catch up.
         */
        PAUSE
    }

    public static ServiceSettings parse(Map<String, ?> properties) {
        ConfigReader config = new ConfigReader(PID, properties);
        String name = config.required(NAME);
        if (!NAME_PATTERN.matcher(name).matches()) {
            throw config.invalid(NAME, name, "must be 1-64 of [A-Za-z0-9._-], starting with a letter or digit");
        }
        Protocol protocol = choice(config, PROTOCOL, Protocol.TCP);
        String listenAddress = address(config, LISTEN_ADDRESS, "0.0.0.0");
        int listenPort = config.port(LISTEN_PORT, 0);
        if (listenPort == 0) {
            throw config.invalid(LISTEN_PORT, config.text(LISTEN_PORT), "a port (1-65535) is required");
        }
        String guestHost = address(config, GUEST_HOST, "127.0.0.1");
        int guestPort = config.port(GUEST_PORT, 0);
        if (guestPort == 0) {
            throw config.invalid(GUEST_PORT, config.text(GUEST_PORT), "a port (1-65535) is required");
        }
        long compareTimeout = config.longInRange(COMPARE_TIMEOUT_MS, 500, 1, 600_000);
        long maxHeld = config.longInRange(MAX_HELD_BYTES, 16L << 20, 4096, 1L << 34);
        int maxConnections = config.intInRange(MAX_CONNECTIONS, 1024, 1, 1_000_000);
        AtBound atBound = choice(config, AT_BOUND, protocol == Protocol.UDP ? AtBound.CHECKPOINT : AtBound.PAUSE);
        if (protocol == Protocol.UDP && atBound == AtBound.PAUSE) {
            throw config.invalid(AT_BOUND, config.text(AT_BOUND), "a udp guest that is not read loses its datagrams "
                    + "(nothing slows it down); use checkpoint");
        }
        long watchdogTimeout = config.longInRange(WATCHDOG_TIMEOUT_MS,
                Math.min(3_600_000, Math.max(30_000, 10 * compareTimeout)), 1_000,
                3_600_000);
        if (watchdogTimeout <= compareTimeout) {
            throw config.invalid(WATCHDOG_TIMEOUT_MS, config.text(WATCHDOG_TIMEOUT_MS), "must exceed "
                    + COMPARE_TIMEOUT_MS + " (" + compareTimeout + "): held output waits that long for its checkpoint");
        }
        return new ServiceSettings(name, protocol, listenAddress, listenPort, guestHost, guestPort, compareTimeout,
                maxHeld, maxConnections, atBound, watchdogTimeout);
    }

    /** Where clients connect, {@code listen.address:listen.port}. */
    public String listenAt() {
        return listenAddress + ":" + listenPort;
    }

    /** Keys present that this component does not know (probably misspelt); framework keys are ignored. */
    public static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(PID, properties).unknownKeys(KEYS);
    }

    private static String address(ConfigReader config, String key, String defaultValue) {
        String value = config.optional(key, defaultValue);
        if (!ADDRESS_PATTERN.matcher(value).matches()) {
            throw config.invalid(key, value, "not a host name or IP address");
        }
        return value;
    }

    /** An enum value by its lowercase name; the error lists the accepted ones. */
    private static <E extends Enum<E>> E choice(ConfigReader config, String key, E defaultValue) {
        String raw = config.optional(key, defaultValue.name().toLowerCase(Locale.ROOT));
        for (E value : defaultValue.getDeclaringClass().getEnumConstants()) {
            if (value.name().equalsIgnoreCase(raw.trim())) {
                return value;
            }
        }
        List<String> accepted = java.util.Arrays.stream(defaultValue.getDeclaringClass().getEnumConstants())
                .map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
        throw config.invalid(key, raw, "must be one of " + accepted);
    }
}
