package dev.colo.transport.internal.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.NodeId;
import dev.colo.api.transport.LinkChannel;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX = 1024 * 1024;

    private final FrameDecoder decoder = new FrameDecoder(MAX);

    @Test
    void shouldDecodeFrameFedByteByByte() throws FrameException {
        Frame sent = Frame.message("checkpoint.request", "epoch 7".getBytes(StandardCharsets.UTF_8));
        ByteBuffer wire = FrameEncoder.encode(sent);
        Frame decoded = null;
        int fed = 0;
        while (wire.hasRemaining()) {
            assertNull(decoded, "frame completed before its last byte");
            decoded = decoder.decode(ByteBuffer.wrap(new byte[] {wire.get()}));
            fed++;
        }
        assertEquals(sent, decoded);
        assertEquals(FrameConstants.HEADER_BYTES + 18 + 7, fed);
    }

    @Test
    void shouldDecodeSeveralFramesFromOneBuffer() throws FrameException {
        List<Frame> sent = List.of(Frame.hello(new Greeting(new NodeId("colo-a"), LinkChannel.CONTROL)),
                Frame.message("heartbeat", new byte[0]), Frame.message("bulk", new byte[5000]), Frame.goodbye());
        ByteBuffer wire = ByteBuffer.allocate(10_000);
        sent.forEach(frame -> wire.put(FrameEncoder.encode(frame)));
        wire.flip();

        List<Frame> decoded = new ArrayList<>();
        for (Frame frame = decoder.decode(wire); frame != null; frame = decoder.decode(wire)) {
            decoded.add(frame);
        }
        assertEquals(sent, decoded);
        assertEquals(0, wire.remaining());
    }

    @Test
    void shouldKeepBytesOfTheNextFrameInTheBuffer() throws FrameException {
        ByteBuffer wire = ByteBuffer.allocate(100);
        wire.put(FrameEncoder.encode(Frame.message("a", new byte[] {1}))).put(FrameEncoder.encode(Frame.goodbye()));
        wire.flip();
        decoder.decode(wire);
        assertEquals(FrameConstants.HEADER_BYTES, wire.remaining());
    }

    @Test
    void shouldRejectOversizeFrameBeforeAllocatingIt() {
        ByteBuffer header = header(FrameConstants.MAGIC, FrameConstants.VERSION, FrameKind.MESSAGE.wireValue(), 4,
                0x7FFF_FFF0);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);

        FrameException error = assertThrows(FrameException.class, () -> decoder.decode(header));

        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(ColoErrorCode.FRAME_TOO_LARGE, error.code());
        assertTrue(allocated < MAX, "allocated " + allocated + " bytes for a rejected 2 GiB frame");
        assertTrue(error.toColoException("10.0.0.2:7000").getMessage().contains("2147483632"), error.getMessage());
    }

    @Test
    void shouldAcceptPayloadOfExactlyTheMaximum() throws FrameException {
        Frame sent = Frame.message("bulk", new byte[MAX]);
        assertEquals(sent, decoder.decode(FrameEncoder.encode(sent)));
    }

    @Test
    void shouldRejectBadMagic() {
        ByteBuffer header = header(0x47455420, FrameConstants.VERSION, FrameKind.MESSAGE.wireValue(), 1, 0);
        FrameException error = assertThrows(FrameException.class, () -> decoder.decode(header));
        assertEquals(ColoErrorCode.FRAME_BAD_MAGIC, error.code());
        assertTrue(error.getMessage().contains("47455420"), error.getMessage());
    }

    @Test
    void shouldRejectUnknownKind() {
        ByteBuffer header = header(FrameConstants.MAGIC, FrameConstants.VERSION, 99, 1, 0);
        assertViolation(header, "unknown frame kind 99");
    }

    @Test
    void shouldRejectOtherVersion() {
        ByteBuffer header = header(FrameConstants.MAGIC, 2, FrameKind.MESSAGE.wireValue(), 1, 0);
        assertViolation(header, "version 2");
    }

    @Test
    void shouldRejectTypeLongerThanTheLimit() {
        ByteBuffer header = header(FrameConstants.MAGIC, FrameConstants.VERSION, FrameKind.MESSAGE.wireValue(),
                FrameConstants.MAX_TYPE_BYTES + 1, 0);
        assertViolation(header, "256 bytes");
    }

    @Test
    void shouldRejectMessageWithoutType() {
        assertViolation(header(FrameConstants.MAGIC, FrameConstants.VERSION, FrameKind.MESSAGE.wireValue(), 0, 0),
                "needs a message type");
    }

    @Test
    void shouldRejectTypeOnControlFrames() {
        assertViolation(header(FrameConstants.MAGIC, FrameConstants.VERSION, FrameKind.GOODBYE.wireValue(), 1, 0),
                "must not have a message type");
    }

    @Test
    void shouldRejectTypeThatIsNotUtf8() {
        ByteBuffer wire = ByteBuffer.allocate(FrameConstants.HEADER_BYTES + 2);
        wire.put(header(FrameConstants.MAGIC, FrameConstants.VERSION, FrameKind.MESSAGE.wireValue(), 2, 0));
        wire.put((byte) 0xC3).put((byte) 0x28).flip();
        assertViolation(wire, "UTF-8");
    }

    private void assertViolation(ByteBuffer wire, String detail) {
        FrameException error = assertThrows(FrameException.class, () -> decoder.decode(wire));
        assertEquals(ColoErrorCode.PEER_PROTOCOL_VIOLATION, error.code());
        assertTrue(error.getMessage().contains(detail), error.getMessage());
    }

    static ByteBuffer header(int magic, int version, int kind, int typeBytes, int payloadBytes) {
        return ByteBuffer.allocate(FrameConstants.HEADER_BYTES).putInt(magic).put((byte) version).put((byte) kind)
                .putShort((short) typeBytes).putInt(payloadBytes).flip();
    }
}
