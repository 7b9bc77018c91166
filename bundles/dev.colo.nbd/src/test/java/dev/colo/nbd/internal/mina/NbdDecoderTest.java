package dev.colo.nbd.internal.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.protocol.ClientFlags;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdRequest;
import dev.colo.nbd.protocol.OptionRequest;
import dev.colo.nbd.protocol.SimpleReply;
import dev.colo.nbd.protocol.TransmissionWire;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.transport.socket.DefaultSocketSessionConfig;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.junit.jupiter.api.Test;

/** The MINA decoder through every phase, fed byte by byte, with its state in the session. */
class NbdDecoderTest {
    private final CountingPayloads payloads = new CountingPayloads();
    private final NbdCodecFactory codec = new NbdCodecFactory(1024, 4096, payloads);
    private final ProtocolCodecSession session = streamSession();
    private final ProtocolDecoder decoder = codec.getDecoder(session);

    /**
     * A test session that, like a TCP session, fragments messages: only then does
     * CumulativeProtocolDecoder keep incomplete input between calls.
     */
    private static ProtocolCodecSession streamSession() {
        ProtocolCodecSession session = new ProtocolCodecSession();
        session.setTransportMetadata(new DefaultTransportMetadata("test", "stream", false, true,
                InetSocketAddress.class, DefaultSocketSessionConfig.class, Object.class));
        return session;
    }

    private void feedByteByByte(byte[] wire) throws Exception {
        for (byte b : wire) {
            decoder.decode(session, IoBuffer.wrap(new byte[] {b}), session.getDecoderOutput());
        }
    }

    private static byte[] option(NbdOption option, byte[] data) {
        return ByteBuffer.allocate(16 + data.length).putLong(NbdConstants.IHAVEOPT).putInt(option.wireValue())
                .putInt(data.length).put(data).array();
    }

    @Test
    void shouldDecodeAWholeConversationFedByteByByte() throws Exception {
        feedByteByByte(new byte[] {0, 0, 0, 3});
        ClientFlags flags = (ClientFlags) session.getDecoderOutputQueue().poll();
        assertEquals(3, flags.flags());

        feedByteByByte(option(NbdOption.STRUCTURED_REPLY, new byte[0]));
        feedByteByByte(option(NbdOption.GO, new byte[] {0, 0, 0, 0, 0, 0}));
        assertEquals(NbdOption.STRUCTURED_REPLY.wireValue(),
                ((OptionRequest) session.getDecoderOutputQueue().poll()).option());
        assertEquals(NbdOption.GO.wireValue(), ((OptionRequest) session.getDecoderOutputQueue().poll()).option());
        assertEquals(DecodePhase.OPTION_PENDING, SessionKeys.decodeState(session).phase());

        // the handler accepted GO
        SessionKeys.decodeState(session).phase(DecodePhase.TRANSMISSION);
        byte[] payload = {1, 2, 3, 4, 5};
        ByteBuffer write = ByteBuffer.allocate(28 + 5)
                .put(TransmissionWire.encodeRequestHeader(0, NbdCommand.WRITE.wireValue(), 42, 512, 5)).put(payload);
        feedByteByByte(write.array());
        NbdRequest request = (NbdRequest) session.getDecoderOutputQueue().poll();
        assertEquals(42, request.handle());
        assertEquals(ByteBuffer.wrap(payload), request.payload());

        feedByteByByte(TransmissionWire.encodeRequestHeader(0, NbdCommand.DISC.wireValue(), 43, 0, 0).array());
        assertInstanceOf(NbdRequest.class, session.getDecoderOutputQueue().poll());
        assertEquals(DecodePhase.DONE, SessionKeys.decodeState(session).phase());
        feedByteByByte(TransmissionWire.encodeRequestHeader(0, NbdCommand.READ.wireValue(), 44, 0, 1).array());
        assertTrue(session.getDecoderOutputQueue().isEmpty(), "nothing is decoded after DISC");
    }

    @Test
    void shouldHoldBytesAfterAnOptionThatMayEndTheHandshake() throws Exception {
        feedByteByByte(new byte[] {0, 0, 0, 1});
        session.getDecoderOutputQueue().clear();
        byte[] go = option(NbdOption.GO, new byte[] {0, 0, 0, 0, 0, 0});
        byte[] request = TransmissionWire.encodeRequestHeader(0, NbdCommand.FLUSH.wireValue(), 1, 0, 0).array();
        decoder.decode(session, IoBuffer.wrap(ByteBuffer.allocate(go.length + request.length).put(go).put(request)
                .array()), session.getDecoderOutput());
        assertEquals(1, session.getDecoderOutputQueue().size(), "the request is not decoded as an option");
        SessionKeys.decodeState(session).phase(DecodePhase.TRANSMISSION);
        decoder.decode(session, IoBuffer.wrap(new byte[0]), session.getDecoderOutput());
        decoder.decode(session, IoBuffer.wrap(TransmissionWire.encodeRequestHeader(0, 3, 2, 0, 0).array()),
                session.getDecoderOutput());
        session.getDecoderOutputQueue().poll();
        assertEquals(1L, ((NbdRequest) session.getDecoderOutputQueue().poll()).handle(), "held bytes come first");
    }

    @Test
    void shouldGiveBackThePayloadOfAWriteCutShortWhenTheSessionEnds() throws Exception {
        SessionKeys.decodeState(session).phase(DecodePhase.TRANSMISSION);
        ByteBuffer write = ByteBuffer.allocate(28 + 100)
                .put(TransmissionWire.encodeRequestHeader(0, NbdCommand.WRITE.wireValue(), 1, 0, 100));
        decoder.decode(session, IoBuffer.wrap(write.array(), 0, 28 + 40), session.getDecoderOutput());
        assertEquals(1, payloads.outstanding());
        decoder.dispose(session);
        assertEquals(0, payloads.outstanding());
    }

    @Test
    void shouldFailOnOversizedLengthsBeforeAllocating() throws Exception {
        feedByteByByte(new byte[] {0, 0, 0, 1});
        byte[] header = ByteBuffer.allocate(16).putLong(NbdConstants.IHAVEOPT).putInt(7).putInt(1025).array();
        assertThrows(ProtocolDecoderException.class,
                () -> decoder.decode(session, IoBuffer.wrap(header), session.getDecoderOutput()));
        assertEquals(DecodePhase.DONE, SessionKeys.decodeState(session).phase());

        ProtocolCodecSession other = streamSession();
        SessionKeys.decodeState(other).phase(DecodePhase.TRANSMISSION);
        byte[] write = TransmissionWire.encodeRequestHeader(0, 1, 1, 0, 4097).array();
        assertThrows(ProtocolDecoderException.class,
                () -> decoder.decode(other, IoBuffer.wrap(write), other.getDecoderOutput()));
        assertEquals(0, payloads.outstanding(), "nothing was allocated for the refused WRITE");
    }

    @Test
    void shouldEncodeEachReplyAsOneBuffer() throws Exception {
        codec.getEncoder(session).encode(session, SimpleReply.ok(5, ByteBuffer.wrap(new byte[100])),
                session.getEncoderOutput());
        assertEquals(1, session.getEncoderOutputQueue().size());
        assertEquals(116, ((IoBuffer) session.getEncoderOutputQueue().poll()).remaining());
    }
}
