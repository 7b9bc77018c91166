package dev.colo.guest.kv.internal.component;

import dev.colo.api.config.ConfigReader;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated configuration of the reference guest (PID {@value #PID}). {@link #parse} throws an
 * {@link dev.colo.api.config.InvalidConfigurationException} naming the key and quoting the value.
 *
 * @param disk the protected disk ({@code colo.disk.name}) the guest keeps its log on
 */
public record GuestSettings(String name, String listenAddress, int listenPort, String disk) {
    public static final String PID = "dev.colo.guest.kv";
    public static final String NAME = "name";
    public static final String LISTEN_ADDRESS = "listen.address";
    public static final String LISTEN_PORT = "listen.port";
    public static final String DISK = "disk";
    public static final List<String> KEYS = List.of(NAME, LISTEN_ADDRESS, LISTEN_PORT, DISK);
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static GuestSettings parse(Map<String, ?> properties) {
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
        return new GuestSettings(name, address, port, disk);
    }

    public static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(PID, properties).unknownKeys(KEYS);
    }
}
