package dev.colo.nbd.internal.server;

import dev.colo.api.config.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material of an export's TLS: a PKCS#12 key store with the server's key and certificate, and
 * optionally a PKCS#12 trust store; with a trust store, clients must present a certificate it trusts.
 */
public record NbdTlsSettings(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    /** The only protocol offered. */
    public static final String PROTOCOL = "TLSv1.3";

    public boolean requiresClientCertificate() {
        return trustStore != null;
    }

    /**
     * The server's SSL context.
     *
     * @throws InvalidConfigurationException naming the key of the store that cannot be used
     */
    public SSLContext createContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(NbdExportSettings.TLS_KEYSTORE_PATH, keyStore, keyStorePassword),
                    keyStorePassword.toCharArray());
            TrustManager[] trust = null;
            if (trustStore != null) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
                factory.init(load(NbdExportSettings.TLS_TRUSTSTORE_PATH, trustStore, trustStorePassword));
                trust = factory.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keys.getKeyManagers(), trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw InvalidConfigurationException.invalid(NbdExportComponent.PID, NbdExportSettings.TLS_KEYSTORE_PATH, keyStore,
                    e.toString());
        }
    }

    private static KeyStore load(String key, Path path, String password) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw InvalidConfigurationException.invalid(NbdExportComponent.PID, key, path,
                    "cannot be read as PKCS#12: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "NbdTlsSettings[keyStore=" + keyStore + ", trustStore=" + trustStore + ", passwords hidden]";
    }
}
