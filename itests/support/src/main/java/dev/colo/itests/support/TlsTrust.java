package dev.colo.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The test JVM's default TLS trust. A node's JMX connector hands out a stub whose socket factory always takes the
 * JVM's default SSL context, and keeps the first it took; every pair of a test run has its own CA, so the default
 * trusts the CAs of every pair seen so far.
 */
public final class TlsTrust {
    private static final Set<Path> added = new HashSet<>();
    private static final KeyStore trusted = emptyStore();
    private static volatile X509TrustManager current;

    private TlsTrust() {
    }

    /** Adds the certificates of the PKCS#12 {@code trustStore} to the JVM's default trust. */
    public static synchronized void trustAsDefault(Path trustStore, String password) throws IOException {
        if (added.contains(trustStore)) {
            return;
        }
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                trusted.setCertificateEntry(trustStore + "#" + alias, store.getCertificate(alias));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            boolean first = current == null;
            current = (X509TrustManager) factory.getTrustManagers()[0];
            if (first) {
                SSLContext context = SSLContext.getInstance("TLSv1.3");
                context.init(null, new TrustManager[] {new Delegating()}, null);
                SSLContext.setDefault(context);
            }
            added.add(trustStore);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks against the trust of the moment, so that a default taken early still trusts a later pair's CA. */
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
