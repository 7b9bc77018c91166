package dev.colo.nbd.internal.server;

import static dev.colo.nbd.internal.server.InvalidSettingException.invalid;
import static dev.colo.nbd.internal.server.InvalidSettingException.missing;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated configuration of one export. {@link #parse} reads the raw properties (Strings from a
 * .cfg file, or typed values through ConfigAdmin) and throws an {@link InvalidSettingException} that
 * names the key and quotes the value.
 */
public record NbdExportSettings(String name, Path path, long sizeBytes, boolean readOnly, String bindAddress,
        int port, TlsMode tlsMode, NbdTlsSettings tls) {

    public static final String NAME = "name";
    public static final String PATH = "path";
    public static final String SIZE_BYTES = "size.bytes";
    public static final String READ_ONLY = "read.only";
    public static final String TLS_REQUIRED = "tls.required";
    public static final String BIND_ADDRESS = "bind.address";
    public static final String PORT = "port";
    public static final String TLS_KEYSTORE_PATH = "tls.keystore.path";
    public static final String TLS_KEYSTORE_PASSWORD = "tls.keystore.password";
    public static final String TLS_TRUSTSTORE_PATH = "tls.truststore.path";
    public static final String TLS_TRUSTSTORE_PASSWORD = "tls.truststore.password";
    public static final List<String> KEYS = List.of(NAME, PATH, SIZE_BYTES, READ_ONLY, TLS_REQUIRED, BIND_ADDRESS,
            PORT, TLS_KEYSTORE_PATH, TLS_KEYSTORE_PASSWORD, TLS_TRUSTSTORE_PATH, TLS_TRUSTSTORE_PASSWORD);

    static final int DEFAULT_PORT = 10809;
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern ADDRESS_PATTERN = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");

    public static NbdExportSettings parse(Map<String, ?> properties) {
        String name = required(properties, NAME);
        if (!NAME_PATTERN.matcher(name).matches()) {
            throw invalid(NAME, name, "must be 1-128 of [A-Za-z0-9._:-], starting with a letter or digit");
        }
        String rawPath = required(properties, PATH);
        Path path;
        try {
            path = Path.of(rawPath);
        } catch (InvalidPathException e) {
            throw invalid(PATH, rawPath, "not a path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw invalid(PATH, rawPath, "must be an absolute path");
        }
        long sizeBytes = longValue(properties, SIZE_BYTES, 0, 0, Long.MAX_VALUE);
        boolean readOnly = bool(properties, READ_ONLY, false);
        String bindAddress = text(properties, BIND_ADDRESS);
        if (bindAddress.isEmpty()) {
            bindAddress = "0.0.0.0";
        } else if (!ADDRESS_PATTERN.matcher(bindAddress).matches()) {
            throw invalid(BIND_ADDRESS, bindAddress, "not a host name or IP address");
        }
        int port = (int) longValue(properties, PORT, DEFAULT_PORT, 1, 65_535);
        NbdTlsSettings tls = tls(properties);
        TlsMode mode = tls == null ? TlsMode.NONE : TlsMode.OPTIONAL;
        if (bool(properties, TLS_REQUIRED, false)) {
            if (tls == null) {
                throw invalid(TLS_REQUIRED, text(properties, TLS_REQUIRED),
                        "TLS is required but no key store is configured (" + TLS_KEYSTORE_PATH + ")");
            }
            mode = TlsMode.REQUIRED;
        }
        return new NbdExportSettings(name, path, sizeBytes, readOnly, bindAddress, port, mode, tls);
    }

    /** The TLS key material, or null when no key store is configured. */
    private static NbdTlsSettings tls(Map<String, ?> properties) {
        String keyStore = text(properties, TLS_KEYSTORE_PATH);
        String trustStore = text(properties, TLS_TRUSTSTORE_PATH);
        if (keyStore.isEmpty()) {
            if (!trustStore.isEmpty()) {
                throw missing(TLS_KEYSTORE_PATH);
            }
            return null;
        }
        Path keys = absolute(TLS_KEYSTORE_PATH, keyStore);
        String keyPassword = required(properties, TLS_KEYSTORE_PASSWORD);
        Path trust = trustStore.isEmpty() ? null : absolute(TLS_TRUSTSTORE_PATH, trustStore);
        String trustPassword = trust == null ? "" : required(properties, TLS_TRUSTSTORE_PASSWORD);
        return new NbdTlsSettings(keys, keyPassword, trust, trustPassword);
    }

    private static Path absolute(String key, String raw) {
        try {
            Path path = Path.of(raw);
            if (!path.isAbsolute()) {
                throw invalid(key, raw, "must be an absolute path");
            }
            return path;
        } catch (InvalidPathException e) {
            throw invalid(key, raw, "not a path: " + e.getReason());
        }
    }

    /** Keys present that this component does not know (probably misspelt); framework keys are ignored. */
    public static List<String> unknownKeys(Map<String, ?> properties) {
        return properties.keySet().stream()
                .filter(key -> !KEYS.contains(key) && !key.startsWith("service.") && !key.startsWith("component.")
                        && !key.startsWith("felix.") && !key.startsWith("webconsole."))
                .sorted().toList();
    }

    private static String text(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        return value == null ? "" : String.valueOf(value).trim();
    }

    private static String required(Map<String, ?> properties, String key) {
        String value = text(properties, key);
        if (value.isEmpty()) {
            throw missing(key);
        }
        return value;
    }

    private static long longValue(Map<String, ?> properties, String key, long defaultValue, long min, long max) {
        String value = text(properties, key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "not an integer");
        }
        if (parsed < min || parsed > max) {
            throw invalid(key, value, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    private static boolean bool(Map<String, ?> properties, String key, boolean defaultValue) {
        String value = text(properties, key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "" -> defaultValue;
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, text(properties, key), "must be true or false");
        };
    }
}
