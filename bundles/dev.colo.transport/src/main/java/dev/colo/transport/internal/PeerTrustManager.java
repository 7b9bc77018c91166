package dev.colo.transport.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Standard PKIX validation against the pair's trust store, followed by the {@link PeerIdentity} checks,
 * for both directions: each node is a TLS server to the peer's dialer and a TLS client of the peer.
 * A refusal here fails the handshake, so an unaccepted peer never gets a byte of the protocol.
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final PeerIdentity identity;

    public PeerTrustManager(X509ExtendedTrustManager pkix, PeerIdentity identity) {
        this.pkix = pkix;
        this.identity = identity;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        identity.verify(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
        identity.verify(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        identity.verify(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
        identity.verify(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        identity.verify(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        identity.verify(chain[0]);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
