package dev.colo.transport.internal.mina;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.NodeId;
import dev.colo.transport.internal.PeerIdentity;
import dev.colo.transport.internal.frame.FrameException;
import dev.colo.transport.internal.frame.Greeting;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/** Small questions about a MINA session, asked in the same way everywhere. */
final class Sessions {
    private Sessions() {
    }

    /** {@code host:port} of the other end, for logs and events. */
    static String remote(IoSession session) {
        SocketAddress address = session.getRemoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** For logs: {@code session 7 (127.0.0.1:40000)}. */
    static String describe(IoSession session) {
        return "session " + session.getId() + " (" + remote(session) + ")";
    }

    /** The peer's accepted greeting, or {@code null} before it was accepted. */
    static Greeting greeting(IoSession session) {
        return (Greeting) session.getAttribute(SessionKeys.GREETING);
    }

    /** The node id proven by the peer's certificate; the trust manager already accepted it. */
    static NodeId certifiedPeer(IoSession session) throws FrameException {
        SSLSession tls = (SSLSession) session.getAttribute(SslFilter.SSL_SECURED);
        if (tls == null) {
            throw new FrameException(ColoErrorCode.PEER_UNTRUSTED, "greeting before the TLS handshake completed");
        }
        try {
            Certificate[] chain = tls.getPeerCertificates();
            return PeerIdentity.nodeIdOf((X509Certificate) chain[0]);
        } catch (SSLPeerUnverifiedException | CertificateException e) {
            throw new FrameException(ColoErrorCode.PEER_UNTRUSTED, e.getMessage());
        }
    }
}
