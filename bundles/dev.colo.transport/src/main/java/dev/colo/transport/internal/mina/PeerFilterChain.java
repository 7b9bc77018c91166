package dev.colo.transport.internal.mina;

import dev.colo.transport.internal.TlsContextFactory;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.filterchain.DefaultIoFilterChainBuilder;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * The filter chain of every peer-link session: {@value #SSL} → {@value #CODEC} → handler. No executor
 * filter: the handlers never block (listeners are told not to), so I/O threads run them directly.
 */
final class PeerFilterChain {
    /** TLS 1.3, mutual authentication. */
    static final String SSL = "ssl";
    /** Frames to and from bytes. */
    static final String CODEC = "codec";

    private PeerFilterChain() {
    }

    /** @param acceptor true for the listening side, which requires the client's certificate */
    static void configure(DefaultIoFilterChainBuilder chain, SSLContext tls, boolean acceptor, int maxFrameBytes) {
        SslFilter ssl = new SslFilter(tls);
        ssl.setEnabledProtocols(TlsContextFactory.PROTOCOL);
        ssl.setNeedClientAuth(acceptor);
        // MINA 2.2.10's default (non-blocking) TLS handler keeps application data that arrives with the
        // peer's last handshake flight until more bytes come, so a HELLO sent right after the handshake
        // could wait forever; the classic handler passes it on as soon as the handshake completes.
        ssl.setUseNonBlockingPipeline(false);
        chain.addLast(SSL, ssl);
        chain.addLast(CODEC, new ProtocolCodecFilter(new PeerFrameCodecFactory(maxFrameBytes)));
    }
}
