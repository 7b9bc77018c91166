package dev.colo.transport.internal.mina;

import dev.colo.transport.internal.frame.Frame;
import dev.colo.transport.internal.frame.FrameDecoder;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * MINA adapter of {@link FrameDecoder}: one frame per {@code true}, {@code false} until a frame is
 * complete. The decode state is the session's own {@link FrameDecoder}, kept in a session attribute, so
 * one instance of this class serves every session.
 */
final class PeerFrameDecoder extends CumulativeProtocolDecoder {
    private final int maxFrameBytes;

    PeerFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        if (session.containsAttribute(SessionKeys.FAILED)) {
            in.position(in.limit()); // the stream is broken and the session closing: drop the rest
            return false;
        }
        Frame frame = decoderOf(session).decode(in.buf());
        if (frame == null) {
            return false; // the frame decoder consumed everything and keeps the partial frame
        }
        out.write(frame);
        return true;
    }

    private FrameDecoder decoderOf(IoSession session) {
        FrameDecoder decoder = (FrameDecoder) session.getAttribute(SessionKeys.DECODER);
        if (decoder == null) {
            decoder = new FrameDecoder(maxFrameBytes);
            session.setAttribute(SessionKeys.DECODER, decoder);
        }
        return decoder;
    }

    @Override
    public void dispose(IoSession session) throws Exception {
        session.removeAttribute(SessionKeys.DECODER);
        super.dispose(session);
    }
}
