package dev.colo.nbd.internal.server;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What an export's listener offers through {@code NBD_OPT_STARTTLS}: the mode and, unless
 * {@link TlsMode#NONE}, the server's SSL context and whether clients must present a certificate. Built
 * from configured key material ({@link #of(TlsMode, NbdTlsSettings)}) or handed over ready-made by a
 * programmatic export, so the listener itself never reads key stores.
 */
public record ServerTls(TlsMode mode, SSLContext context, boolean requireClientCertificate) {

    public ServerTls {
        Objects.requireNonNull(mode, "mode");
        if (mode != TlsMode.NONE && context == null) {
            throw new IllegalArgumentException("TLS " + mode + " needs an SSL context");
        }
    }

    public static ServerTls none() {
        return new ServerTls(TlsMode.NONE, null, false);
    }

    /**
     * Builds the context now, so that unusable key material fails before any listener thread starts.
     *
     * @param settings the key material; ignored (and may be null) with {@link TlsMode#NONE}
     * @throws dev.colo.api.config.InvalidConfigurationException naming the key of the store that cannot be used
     */
    public static ServerTls of(TlsMode mode, NbdTlsSettings settings) {
        if (mode == TlsMode.NONE) {
            return none();
        }
        return new ServerTls(mode, settings.createContext(), settings.requiresClientCertificate());
    }
}
