package dev.colo.transport.internal;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.ColoException;
import dev.colo.api.NodeId;
import dev.colo.api.pair.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the TLS 1.3 context of the peer link from the pair's PKCS#12 key and trust stores. Their content
 * (one key, issued to this node; trusted certificates present) was checked when the pair configuration was
 * validated; what can still fail here is reading them.
 */
public final class TlsContextFactory {
    /** Configuration key of the key store, named in errors. */
    public static final String KEYSTORE_KEY = "tls.keystore.path";
    /** Configuration key of the trust store, named in errors. */
    public static final String TRUSTSTORE_KEY = "tls.truststore.path";
    /** The only protocol the peer link speaks. */
    public static final String PROTOCOL = "TLSv1.3";

    private TlsContextFactory() {
    }

    /**
     * @throws ColoException ({@link ColoErrorCode#TLS_MATERIAL_UNUSABLE}) naming the key of the store at fault
     */
    public static SSLContext create(TlsSettings tls, NodeId ownNodeId) throws ColoException {
        KeyStore keyStore = load(KEYSTORE_KEY, tls.keyStore(), tls.keyStorePassword());
        KeyManager[] keys = keyManagers(keyStore, tls);
        Optional<X509ExtendedTrustManager> ca = Optional.empty();
        if (tls.trustStore().isPresent()) {
            TlsSettings.TrustStore store = tls.trustStore().get();
            ca = Optional.of(pkix(load(TRUSTSTORE_KEY, store.path(), store.password()), store.path()));
        }
        TrustManager trust = new PeerTrustManager(ca, new PeerIdentity(ownNodeId, tls.peerFingerprint()));
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keys, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(PROTOCOL + " is part of every Java 17 platform", e);
        }
    }

    private static KeyManager[] keyManagers(KeyStore keyStore, TlsSettings tls) throws ColoException {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, tls.keyStorePassword().toCharArray());
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw unusable(KEYSTORE_KEY, tls.keyStore(), e.toString());
        }
    }

    private static X509ExtendedTrustManager pkix(KeyStore trustStore, Path path) throws ColoException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw unusable(TRUSTSTORE_KEY, path, "no X.509 trust manager for it");
        } catch (GeneralSecurityException e) {
            throw unusable(TRUSTSTORE_KEY, path, e.toString());
        }
    }

    private static KeyStore load(String key, Path path, String password) throws ColoException {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ColoException(e, ColoErrorCode.TLS_MATERIAL_UNUSABLE, key, path, e.toString());
        }
    }

    private static ColoException unusable(String key, Path path, String reason) {
        return new ColoException(ColoErrorCode.TLS_MATERIAL_UNUSABLE, key, path, reason);
    }
}
