package dev.colo.management.rmi.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where Karaf's management server expects its RMI registry: {@code rmiRegistryHost} and {@code rmiRegistryPort}
 * of {@code etc/org.apache.karaf.management.cfg}, read from the file itself (this runs before ConfigurationAdmin
 * has read {@code etc/}).
 *
 * @param host the address to bind; empty for every address
 * @param port the TCP port
 */
record RegistryAddress(String host, int port) {
    static final String FILE = "org.apache.karaf.management.cfg";
    static final String HOST_KEY = "rmiRegistryHost";
    static final String PORT_KEY = "rmiRegistryPort";
    /** Karaf's default port, when the file does not set one. */
    static final int DEFAULT_PORT = 1099;

    /**
     * The address in {@code etc/}, or empty when the file is missing or its values are not plain (a placeholder
     * such as {@code ${…}} is Karaf's to resolve; it then creates the registry itself, as it always did).
     *
     * @throws IOException naming the file and the key when a value is malformed
     */
    static Optional<RegistryAddress> in(Path etc) throws IOException {
        Optional<Properties> file = EtcFile.read(etc, FILE);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String host = EtcFile.value(file.get(), HOST_KEY, "");
        String port = EtcFile.value(file.get(), PORT_KEY, Integer.toString(DEFAULT_PORT));
        if (host.contains("${") || port.contains("${")) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65535) {
                throw new NumberFormatException("out of 1-65535");
            }
            return Optional.of(new RegistryAddress(host, value));
        } catch (NumberFormatException e) {
            throw new IOException(etc.resolve(FILE) + ": " + PORT_KEY + " = '" + port + "' is not a TCP port ("
                    + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return (host.isEmpty() ? "*" : host) + ":" + port;
    }
}
