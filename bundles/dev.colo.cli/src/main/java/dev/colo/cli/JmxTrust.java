package dev.colo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust of this process's TLS clients: the pair's CA. A node's JMX connector hands out a stub whose socket
 * factory ({@code SslRMIClientSocketFactory}) always takes the JVM's default SSL context, so the CA can only be
 * trusted as that default; it is set once, before the first connection (the factory keeps what it took first).
 */
final class JmxTrust {
    private static Path trusted;

    private JmxTrust() {
    }

    /** Makes the CA certificates in {@code trustStore} (PKCS#12) the JVM's default trust. */
    static synchronized void trust(Path trustStore, String password) throws IOException {
        if (trustStore.equals(trusted)) {
            return;
        }
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, factory.getTrustManagers(), null);
            SSLContext.setDefault(context);
            trusted = trustStore;
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException("cannot read the trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }
}
