package dev.colo.mqtt.internal.client;

import dev.colo.mqtt.internal.config.MqttSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS sockets to {@code ssl://} brokers that trust exactly the CAs of one PKCS#12 trust store. */
public final class TlsSockets {
    private TlsSockets() {
    }

    public static SocketFactory trusting(MqttSettings.TrustStore trustStore) throws IOException {
        try (InputStream in = Files.newInputStream(trustStore.path())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, trustStore.password());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException(MqttSettings.TRUSTSTORE_PATH + " = " + trustStore.path() + " cannot be opened as "
                    + "PKCS#12 with " + MqttSettings.TRUSTSTORE_PASSWORD + " (" + e.getMessage() + ")", e);
        }
    }
}
