package dev.colo.transport.internal.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.ColoErrorCode;
import dev.colo.transport.internal.frame.Frame;
import dev.colo.transport.internal.frame.FrameException;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.junit.jupiter.api.Test;

class PeerFrameCodecTest {
    private final PeerFrameCodecFactory codec = new PeerFrameCodecFactory(1024);
    private final ProtocolCodecSession session = new ProtocolCodecSession();
    private final ProtocolDecoder decoder = codec.getDecoder(session);
    private final ProtocolEncoder encoder = codec.getEncoder(session);

    @Test
    void shouldDecodeFramesFedByteByByte() throws Exception {
        IoBuffer wire = encode(Frame.message("heartbeat", new byte[] {1, 2, 3}), Frame.goodbye());
        while (wire.hasRemaining()) {
            decoder.decode(session, IoBuffer.wrap(new byte[] {wire.get()}), session.getDecoderOutput());
        }
        assertEquals(List.of(Frame.message("heartbeat", new byte[] {1, 2, 3}), Frame.goodbye()),
                List.copyOf(session.getDecoderOutputQueue()));
    }

    @Test
    void shouldDecodeSeveralFramesFromOneBuffer() throws Exception {
        decoder.decode(session, encode(Frame.message("a", new byte[10]), Frame.message("b", new byte[1024])),
                session.getDecoderOutput());
        assertEquals(2, session.getDecoderOutputQueue().size());
    }

    @Test
    void shouldKeepDecodeStateInTheSession() throws Exception {
        IoBuffer wire = encode(Frame.message("split", new byte[100]));
        ProtocolCodecSession other = new ProtocolCodecSession();
        decoder.decode(session, wire.getSlice(20), session.getDecoderOutput());
        decoder.decode(other, encode(Frame.goodbye()), other.getDecoderOutput()); // another session in between
        decoder.decode(session, wire, session.getDecoderOutput());
        assertEquals(Frame.message("split", new byte[100]), session.getDecoderOutputQueue().poll());
        assertEquals(Frame.goodbye(), other.getDecoderOutputQueue().poll());
    }

    @Test
    void shouldRejectOversizeFrame() {
        IoBuffer wire = encode(Frame.message("big", new byte[1025]));
        FrameException error = assertThrows(FrameException.class,
                () -> decoder.decode(session, wire, session.getDecoderOutput()));
        assertEquals(ColoErrorCode.FRAME_TOO_LARGE, error.code());
    }

    @Test
    void shouldDropInputOfAFailedSession() throws Exception {
        session.setAttribute(SessionKeys.FAILED, Boolean.TRUE);
        IoBuffer wire = encode(Frame.goodbye());
        decoder.decode(session, wire, session.getDecoderOutput());
        assertTrue(session.getDecoderOutputQueue().isEmpty());
    }

    private IoBuffer encode(Frame... frames) {
        IoBuffer all = IoBuffer.allocate(64).setAutoExpand(true);
        for (Frame frame : frames) {
            try {
                encoder.encode(session, frame, session.getEncoderOutput());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            all.put((IoBuffer) session.getEncoderOutputQueue().poll());
        }
        return all.flip();
    }

}
