package dev.colo.nbd.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.protocol.ClientWire;
import dev.colo.nbd.protocol.ExportInfo;
import dev.colo.nbd.protocol.ExportNameReply;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdError;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import dev.colo.nbd.protocol.NbdReplyType;
import dev.colo.nbd.protocol.OptionReply;
import dev.colo.nbd.protocol.ServerGreeting;
import dev.colo.nbd.protocol.SimpleReply;
import dev.colo.nbd.protocol.StructuredReplyChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client decoder fed byte by byte: a message appears only with its last byte. Server encoders are reused. */
class ReplyDecoderTest {
    private static final long READ_HANDLE = 7;
    private static final int READ_BYTES = 1000;

    private final ReplyDecoder decoder = new ReplyDecoder(NbdConstants.MAX_PAYLOAD_BYTES);
    private ProtocolCodecSession session;

    @BeforeEach
    void newSession() {
        session = new ProtocolCodecSession();
        // a stream transport: the cumulative decoder keeps partial messages (DummySession says "no fragmentation")
        session.setTransportMetadata(new DefaultTransportMetadata("test", "stream", false, true,
                java.net.SocketAddress.class, org.apache.mina.core.session.IoSessionConfig.class, Object.class));
        // handle 7 is a READ of 1000 bytes; handle 8 a WRITE; anything else unknown
        ReplyDecoder.install(session, (handle, error) -> handle == READ_HANDLE ? (error == 0 ? READ_BYTES : 0)
                : handle == 8 ? 0 : -1);
    }

    private List<Object> feedByteByByte(ByteBuffer wire) throws Exception {
        List<Object> messages = new ArrayList<>();
        while (wire.hasRemaining()) {
            boolean last = wire.remaining() == 1;
            decoder.decode(session, IoBuffer.wrap(new byte[] {wire.get()}), session.getDecoderOutput());
            if (!last) {
                assertTrue(session.getDecoderOutputQueue().isEmpty(), "message before its last byte");
            }
        }
        messages.addAll(session.getDecoderOutputQueue());
        session.getDecoderOutputQueue().clear();
        return messages;
    }

    /** Feeds each message byte by byte in turn; each must appear exactly with its own last byte. */
    private List<Object> concat(ByteBuffer... parts) throws Exception {
        List<Object> messages = new ArrayList<>();
        for (ByteBuffer part : parts) {
            List<Object> decoded = feedByteByByte(part);
            assertEquals(1, decoded.size(), "one message per part");
            messages.addAll(decoded);
        }
        return messages;
    }

    private void handshakeDone() {
        ReplyDecoder.stateOf(session).phase = DecodePhase.TRANSMISSION;
    }

    @Test
    void shouldDecodeTheGreetingAndMoveToOptionReplies() throws Exception {
        List<Object> messages = feedByteByByte(ServerGreeting.fixedNewstyle().encode());
        ServerGreeting greeting = assertInstanceOf(ServerGreeting.class, messages.get(0));
        assertEquals(NbdConstants.FLAG_FIXED_NEWSTYLE | NbdConstants.FLAG_NO_ZEROES, greeting.handshakeFlags());
        assertEquals(DecodePhase.OPTION_REPLY, ReplyDecoder.stateOf(session).phase);
    }

    @Test
    void shouldRefuseAnOldstyleServer() {
        ByteBuffer oldstyle = ByteBuffer.allocate(18).putLong(NbdConstants.NBDMAGIC).putLong(NbdConstants.OLDSTYLE_MAGIC)
                .putShort((short) 0).flip();
        ProtocolDecoderException e = assertThrows(ProtocolDecoderException.class, () -> feedByteByByte(oldstyle));
        assertTrue(e.getMessage().contains("oldstyle"), e.getMessage());
    }

    @Test
    void shouldDecodeOptionRepliesOfGoAndEnterTransmissionAfterItsAck() throws Exception {
        ReplyDecoder.stateOf(session).phase = DecodePhase.OPTION_REPLY;
        int go = NbdOption.GO.wireValue();
        ExportInfo export = ExportInfo.of("disk0", 1 << 20, false);
        List<Object> messages = (concat(OptionReply.ack(NbdOption.STRUCTURED_REPLY.wireValue()).encode(),
                OptionReply.infoExport(go, export, 0x1ed).encode(), OptionReply.infoBlockSize(go, export).encode(),
                OptionReply.ack(go).encode(), SimpleReply.ok(8).encode()));
        assertEquals(5, messages.size());
        assertEquals(NbdOptionReply.ACK, ((OptionReply) messages.get(0)).type());
        OptionReply info = (OptionReply) messages.get(1);
        assertEquals(NbdOptionReply.INFO, info.type());
        assertEquals(12, info.data().length);
        assertEquals(NbdOptionReply.ACK, ((OptionReply) messages.get(3)).type());
        assertInstanceOf(SimpleReply.class, messages.get(4), "the decoder switched to TRANSMISSION by itself");
    }

    @Test
    void shouldCheckAnOptionReplyLengthBeforeAllocating() {
        ReplyDecoder.stateOf(session).phase = DecodePhase.OPTION_REPLY;
        ByteBuffer header = ByteBuffer.allocate(20).putLong(NbdConstants.OPTION_REPLY_MAGIC)
                .putInt(NbdOption.GO.wireValue()).putInt(NbdOptionReply.INFO.wireValue()).putInt(Integer.MAX_VALUE).flip();
        ProtocolDecoderException e = assertThrows(ProtocolDecoderException.class, () -> feedByteByByte(header));
        assertTrue(e.getMessage().contains("above the maximum"), e.getMessage());
    }

    @Test
    void shouldDecodeTheExportNameReplyWithAndWithoutZeroes() throws Exception {
        for (boolean noZeroes : new boolean[] {true, false}) {
            newSession();
            ReplyDecoder.stateOf(session).phase = DecodePhase.EXPORT_NAME_REPLY;
            ReplyDecoder.stateOf(session).noZeroes = noZeroes;
            List<Object> messages = feedByteByByte(new ExportNameReply(123456789L, 0x3, noZeroes).encode());
            ExportNameReply reply = assertInstanceOf(ExportNameReply.class, messages.get(0));
            assertEquals(123456789L, reply.sizeBytes());
            assertEquals(0x3, reply.transmissionFlags());
            assertEquals(DecodePhase.TRANSMISSION, ReplyDecoder.stateOf(session).phase);
        }
    }

    @Test
    void shouldDecodeASimpleReplyToAReadOfNBytes() throws Exception {
        handshakeDone();
        byte[] data = new byte[READ_BYTES];
        new Random(1).nextBytes(data);
        List<Object> messages = (concat(SimpleReply.ok(READ_HANDLE, ByteBuffer.wrap(data)).encode(),
                SimpleReply.error(READ_HANDLE, NbdError.EIO).encode(), SimpleReply.ok(8).encode()));
        assertEquals(3, messages.size());
        SimpleReply read = (SimpleReply) messages.get(0);
        assertArrayEquals(data, read.data().array());
        SimpleReply failed = (SimpleReply) messages.get(1);
        assertEquals(NbdError.EIO.wireValue(), failed.error());
        assertEquals(0, failed.data().remaining(), "no payload after an error reply to READ");
        assertEquals(8, ((SimpleReply) messages.get(2)).handle());
    }

    @Test
    void shouldRefuseASimpleReplyForAnUnknownHandle() {
        handshakeDone();
        assertThrows(ProtocolDecoderException.class, () -> feedByteByByte(SimpleReply.ok(99).encode()));
    }

    @Test
    void shouldDecodeStructuredChunks() throws Exception {
        handshakeDone();
        byte[] data = {1, 2, 3, 4, 5};
        ByteBuffer hole = ByteBuffer.allocate(12).putLong(4096).putInt(512).flip();
        List<Object> messages = (concat(
                StructuredReplyChunk.offsetData(READ_HANDLE, 4096 + 512, ByteBuffer.wrap(data)).encode(),
                new StructuredReplyChunk(0, NbdReplyType.OFFSET_HOLE, READ_HANDLE, hole).encode(),
                StructuredReplyChunk.error(8, NbdError.ENOSPC).encode(), StructuredReplyChunk.done(READ_HANDLE).encode()));
        assertEquals(4, messages.size());
        StructuredReplyChunk first = (StructuredReplyChunk) messages.get(0);
        assertEquals(NbdReplyType.OFFSET_DATA, first.type());
        assertEquals(8 + 5, first.payload().remaining());
        assertEquals(NbdReplyType.OFFSET_HOLE, ((StructuredReplyChunk) messages.get(1)).type());
        StructuredReplyChunk error = (StructuredReplyChunk) messages.get(2);
        assertEquals(NbdReplyType.ERROR, error.type());
        assertEquals(NbdError.ENOSPC.wireValue(), error.payload().getInt());
        assertEquals(NbdConstants.REPLY_FLAG_DONE, ((StructuredReplyChunk) messages.get(3)).flags());
    }

    @Test
    void shouldCheckAChunkLengthBeforeAllocating() {
        handshakeDone();
        ByteBuffer header = ByteBuffer.allocate(20).putInt(NbdConstants.STRUCTURED_REPLY_MAGIC).putShort((short) 1)
                .putShort((short) NbdReplyType.OFFSET_DATA.wireValue()).putLong(READ_HANDLE)
                .putInt(NbdConstants.MAX_PAYLOAD_BYTES + 9).flip();
        ProtocolDecoderException e = assertThrows(ProtocolDecoderException.class, () -> feedByteByByte(header));
        assertTrue(e.getMessage().contains("above the maximum"), e.getMessage());
    }

    @Test
    void shouldRefuseABadReplyMagic() {
        handshakeDone();
        ByteBuffer bad = ByteBuffer.allocate(16).putInt(0x12345678).flip();
        assertThrows(ProtocolDecoderException.class, () -> feedByteByByte(bad));
    }
}
