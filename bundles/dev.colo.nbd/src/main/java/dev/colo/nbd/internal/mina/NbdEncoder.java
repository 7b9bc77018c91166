package dev.colo.nbd.internal.mina;

import dev.colo.nbd.protocol.ServerMessage;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/**
 * Encodes each {@link ServerMessage} as exactly one buffer: replies are written concurrently by the
 * worker threads, and a reply split over several buffers could interleave with another.
 */
final class NbdEncoder extends ProtocolEncoderAdapter {

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        out.write(IoBuffer.wrap(((ServerMessage) message).encode()));
    }
}
