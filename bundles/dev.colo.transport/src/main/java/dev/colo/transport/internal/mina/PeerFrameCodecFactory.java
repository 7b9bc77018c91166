package dev.colo.transport.internal.mina;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/** The frame codec; encoder and decoder are shared by all sessions (the decoder keeps state per session). */
final class PeerFrameCodecFactory implements ProtocolCodecFactory {
    private final ProtocolEncoder encoder = new PeerFrameEncoder();
    private final ProtocolDecoder decoder;

    /** @param maxFrameBytes largest payload accepted from the peer */
    PeerFrameCodecFactory(int maxFrameBytes) {
        this.decoder = new PeerFrameDecoder(maxFrameBytes);
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        return decoder;
    }
}
