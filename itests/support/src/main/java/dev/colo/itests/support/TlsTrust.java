package dev.colo.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The test JVM's default TLS trust. A node's JMX connector hands out a stub whose socket factory always takes the
 * JVM's default SSL context, and keeps the first it took; so the default delegates to the trust of the pair in use
 * (the last trust store given). Each pair has its own CA, all with the same name: trusting several at once makes
 * path validation pick the wrong one.
 */
public final class TlsTrust {
    private static volatile X509TrustManager current;

    private TlsTrust() {
    }

    /** Makes the certificates of the PKCS#12 {@code trustStore} the JVM's default trust from now on. */
    public static synchronized void trustAsDefault(Path trustStore, String password) throws IOException {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            boolean first = current == null;
            current = (X509TrustManager) factory.getTrustManagers()[0];
            if (first) {
                SSLContext context = SSLContext.getInstance("TLSv1.3");
                context.init(null, new TrustManager[] {new Delegating()}, null);
                SSLContext.setDefault(context);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    /** Checks against the trust of the moment, so that a default taken early trusts a later pair's CA. */
    private static final class Delegating implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current.getAcceptedIssuers();
        }
    }
}
