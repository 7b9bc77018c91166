package dev.colo.nbd.internal.server;

import dev.colo.api.config.ConfigReader;
import dev.colo.api.config.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated configuration of one export. {@link #parse} reads the raw properties (Strings from a
 * .cfg file, or typed values through ConfigAdmin) and throws an {@link InvalidConfigurationException} that
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
        ConfigReader config = new ConfigReader(NbdExportComponent.PID, properties);
        String name = config.required(NAME);
        if (!NAME_PATTERN.matcher(name).matches()) {
            throw config.invalid(NAME, name, "must be 1-128 of [A-Za-z0-9._:-], starting with a letter or digit");
        }
        Path path = config.absolutePath(PATH);
        long sizeBytes = config.longInRange(SIZE_BYTES, 0, 0, Long.MAX_VALUE);
        boolean readOnly = config.bool(READ_ONLY, false);
        String bindAddress = config.optional(BIND_ADDRESS, "0.0.0.0");
        if (!ADDRESS_PATTERN.matcher(bindAddress).matches()) {
            throw config.invalid(BIND_ADDRESS, bindAddress, "not a host name or IP address");
        }
        int port = config.port(PORT, DEFAULT_PORT);
        NbdTlsSettings tls = tls(config);
        TlsMode mode = tls == null ? TlsMode.NONE : TlsMode.OPTIONAL;
        if (config.bool(TLS_REQUIRED, false)) {
            if (tls == null) {
                throw config.invalid(TLS_REQUIRED, config.text(TLS_REQUIRED),
                        "TLS is required but no key store is configured (" + TLS_KEYSTORE_PATH + ")");
            }
            mode = TlsMode.REQUIRED;
        }
        return new NbdExportSettings(name, path, sizeBytes, readOnly, bindAddress, port, mode, tls);
    }

    /** The TLS key material, or null when no key store is configured. */
    private static NbdTlsSettings tls(ConfigReader config) {
        String keyStore = config.text(TLS_KEYSTORE_PATH);
        String trustStore = config.text(TLS_TRUSTSTORE_PATH);
        if (keyStore.isEmpty()) {
            if (!trustStore.isEmpty()) {
                throw InvalidConfigurationException.missing(config.pid(), TLS_KEYSTORE_PATH);
            }
            return null;
        }
        Path keys = config.absolutePath(TLS_KEYSTORE_PATH, keyStore);
        String keyPassword = config.required(TLS_KEYSTORE_PASSWORD);
        Path trust = trustStore.isEmpty() ? null : config.absolutePath(TLS_TRUSTSTORE_PATH, trustStore);
        String trustPassword = trust == null ? "" : config.required(TLS_TRUSTSTORE_PASSWORD);
        return new NbdTlsSettings(keys, keyPassword, trust, trustPassword);
    }

    /** Keys present that this component does not know (probably misspelt); framework keys are ignored. */
    public static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(NbdExportComponent.PID, properties).unknownKeys(KEYS);
    }
}
