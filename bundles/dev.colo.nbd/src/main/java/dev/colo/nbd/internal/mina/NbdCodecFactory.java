package dev.colo.nbd.internal.mina;

import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.PayloadBuffers;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/** The NBD server's codec: stateless encoder and decoder shared by every session. */
final class NbdCodecFactory implements ProtocolCodecFactory {
    private final NbdEncoder encoder = new NbdEncoder();
    private final NbdDecoder decoder;

    NbdCodecFactory(PayloadBuffers payloads) {
        this(NbdConstants.MAX_OPTION_BYTES, NbdConstants.MAX_PAYLOAD_BYTES, payloads);
    }

    NbdCodecFactory(int maxOptionBytes, int maxPayloadBytes, PayloadBuffers payloads) {
        this.decoder = new NbdDecoder(maxOptionBytes, maxPayloadBytes, payloads);
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
