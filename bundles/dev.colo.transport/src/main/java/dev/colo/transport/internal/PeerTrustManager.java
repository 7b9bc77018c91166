package dev.colo.transport.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Standard PKIX validation against the pair's CA (when a trust store is configured; otherwise the
 * certificate need only be within its validity period, and the pinned fingerprint decides), followed by the
 * {@link PeerIdentity} checks, for both directions: each node is a TLS server to the peer's dialer and a
 * TLS client of the peer. A refusal here fails the handshake, so an unaccepted peer never gets a byte of
 * the protocol.
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final Optional<X509ExtendedTrustManager> ca;
    private final PeerIdentity identity;

    /** One of the CA trust manager's checks, bound to its arguments. */
    @FunctionalInterface
    private interface CaCheck {
        void check(X509ExtendedTrustManager ca) throws CertificateException;
    }

    /**
     * @param ca       PKIX trust manager of the pair's CA; empty when the peer is trusted by its pinned
     *                 fingerprint alone (then {@code identity} must pin one)
     * @param identity the node-id and fingerprint checks
     */
    public PeerTrustManager(Optional<X509ExtendedTrustManager> ca, PeerIdentity identity) {
        this.ca = ca;
        this.identity = identity;
    }

    private void verify(X509Certificate[] chain, CaCheck caCheck) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("Empty certificate chain");
        }
        if (ca.isPresent()) {
            caCheck.check(ca.get());
        } else {
            chain[0].checkValidity();
        }
        identity.verify(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, manager -> manager.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, manager -> manager.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, manager -> manager.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, manager -> manager.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, manager -> manager.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, manager -> manager.checkServerTrusted(chain, authType));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca.map(X509ExtendedTrustManager::getAcceptedIssuers).orElse(NO_ISSUERS);
    }
}
