package dev.colo.management.rmi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A configuration file of {@code etc/}, read from the file itself: this bundle runs before ConfigurationAdmin has
 * read {@code etc/}.
 */
final class EtcFile {
    private EtcFile() {
    }

    /** The properties of {@code etc/name}, empty when there is no such file. */
    static Optional<Properties> read(Path etc, String name) throws IOException {
        Path file = etc.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return Optional.of(properties);
    }

    /** The trimmed value of {@code key}, or {@code fallback} when it is not set. */
    static String value(Properties properties, String key, String fallback) {
        return properties.getProperty(key, fallback).trim();
    }
}
