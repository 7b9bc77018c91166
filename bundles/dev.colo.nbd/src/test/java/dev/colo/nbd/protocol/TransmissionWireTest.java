package dev.colo.nbd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TransmissionWireTest {

    private static byte[] request(int flags, NbdCommand command, long handle, long offset, int length, byte[] payload) {
        ByteBuffer header = TransmissionWire.encodeRequestHeader(flags, command.wireValue(), handle, offset, length);
        return ByteBuffer.allocate(header.remaining() + payload.length).put(header).put(payload).array();
    }

    private static NbdRequest decodeByteByByte(byte[] wire, int maxPayload) throws NbdProtocolException {
        ByteBuffer buffer = ByteBuffer.allocate(wire.length);
        buffer.flip();
        for (int i = 0; i < wire.length; i++) {
            buffer.limit(i + 1);
            buffer.put(i, wire[i]);
            NbdRequest request = TransmissionWire.decodeRequest(buffer, maxPayload);
            if (i < wire.length - 1) {
                assertNull(request, "complete after " + (i + 1) + " bytes?");
                assertEquals(0, buffer.position());
            } else {
                assertEquals(wire.length, buffer.position());
                return request;
            }
        }
        throw new AssertionError();
    }

    @Test
    void shouldDecodeAWriteWithItsPayloadByteByByte() throws Exception {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7};
        NbdRequest request = decodeByteByByte(
                request(NbdConstants.CMD_FLAG_FUA, NbdCommand.WRITE, 0x1122334455667788L, 4096, 7, payload), 1024);
        assertEquals(NbdCommand.WRITE, request.command().orElseThrow());
        assertEquals(0x1122334455667788L, request.handle());
        assertEquals(4096, request.offset());
        assertEquals(ByteBuffer.wrap(payload), request.payload());
        assertEquals(true, request.hasFlag(NbdConstants.CMD_FLAG_FUA));
    }

    @Test
    void shouldDecodeAReadWithoutPayloadWhateverItsLength() throws Exception {
        NbdRequest read = decodeByteByByte(request(0, NbdCommand.READ, 1, 0, 0xffffffff, new byte[0]), 1024);
        assertEquals(0xffffffffL, read.lengthUnsigned());
        assertEquals(0, read.payloadBytes());
        assertEquals(false, read.hasPayload());
        NbdRequest unknown = decodeByteByByte(
                TransmissionWire.encodeRequestHeader(0, 0x4242, 9, 0, 100).array(), 1024);
        assertEquals(true, unknown.command().isEmpty());
        assertEquals("NBD_CMD_UNKNOWN(16962)", NbdCommand.nameOf(unknown.type()));
    }

    @Test
    void shouldRefuseATooLongWriteFromItsHeaderAlone() {
        ByteBuffer header = TransmissionWire.encodeRequestHeader(0, NbdCommand.WRITE.wireValue(), 1, 0, 1025);
        assertThrows(NbdProtocolException.class, () -> TransmissionWire.decodeRequest(header, 1024));
        ByteBuffer huge = TransmissionWire.encodeRequestHeader(0, NbdCommand.WRITE.wireValue(), 1, 0, -1);
        assertThrows(NbdProtocolException.class, () -> TransmissionWire.decodeRequest(huge, 1024));
    }

    @Test
    void shouldRefuseABadRequestMagic() {
        ByteBuffer header = TransmissionWire.encodeRequestHeader(0, 0, 1, 0, 1);
        header.putInt(0, NbdConstants.SIMPLE_REPLY_MAGIC);
        assertThrows(NbdProtocolException.class, () -> TransmissionWire.decodeRequest(header, 1024));
    }

    @Test
    void shouldEncodeSimpleAndStructuredReplies() {
        ByteBuffer simple = SimpleReply.ok(7, ByteBuffer.wrap(new byte[] {9, 8})).encode();
        assertEquals(16 + 2, simple.remaining());
        assertEquals(NbdConstants.SIMPLE_REPLY_MAGIC, simple.getInt());
        assertEquals(0, simple.getInt());
        assertEquals(7, simple.getLong());
        assertEquals(9, simple.get());

        ByteBuffer error = SimpleReply.error(8, NbdError.EPERM).encode();
        assertEquals(16, error.remaining());
        assertEquals(1, error.getInt(4));

        ByteBuffer data = StructuredReplyChunk.offsetData(9, 512, ByteBuffer.wrap(new byte[] {1, 2, 3})).encode();
        assertEquals(NbdConstants.STRUCTURED_REPLY_MAGIC, data.getInt());
        assertEquals(NbdConstants.REPLY_FLAG_DONE, data.getShort());
        assertEquals(NbdReplyType.OFFSET_DATA.wireValue(), data.getShort());
        assertEquals(9, data.getLong());
        assertEquals(8 + 3, data.getInt());
        assertEquals(512, data.getLong());

        ByteBuffer status = StructuredReplyChunk.blockStatus(1, 1, new long[] {4096}, new int[] {0}).encode();
        assertEquals(20 + 4 + 8, status.remaining());
        ByteBuffer structuredError = StructuredReplyChunk.error(2, NbdError.EINVAL).encode();
        assertEquals(0x8001, structuredError.getShort(6) & 0xffff);
        assertEquals(22, structuredError.getInt(20));
    }
}
