package dev.colo.transport.internal.mina;

import dev.colo.transport.internal.frame.Frame;
import dev.colo.transport.internal.frame.FrameEncoder;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/** MINA adapter of {@link FrameEncoder}: one buffer per frame. Stateless. */
final class PeerFrameEncoder extends ProtocolEncoderAdapter {
    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        out.write(IoBuffer.wrap(FrameEncoder.encode((Frame) message)));
    }
}
