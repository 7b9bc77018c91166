package dev.colo.transport.internal.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colo.api.NodeId;
import dev.colo.api.transport.LinkChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameEncoderTest {

    @Test
    void shouldWriteTheDocumentedHeader() {
        ByteBuffer wire = FrameEncoder.encode(Frame.message("hb", new byte[] {9, 8, 7}));
        assertEquals(0x434F4C4F, wire.getInt());
        assertEquals(1, wire.get());
        assertEquals(FrameKind.MESSAGE.wireValue(), wire.get());
        assertEquals(2, wire.getShort());
        assertEquals(3, wire.getInt());
        assertEquals('h', wire.get());
        assertEquals('b', wire.get());
        assertEquals(9, wire.get());
        assertEquals(2, wire.remaining());
    }

    @ParameterizedTest
    @EnumSource(FrameKind.class)
    void shouldRoundTripEveryKind(FrameKind kind) throws FrameException {
        Frame frame = switch (kind) {
            case HELLO -> Frame.hello(new Greeting(new NodeId("colo-a"), LinkChannel.BULK));
            case WELCOME -> Frame.welcome(new Greeting(new NodeId("colo-b"), LinkChannel.CONTROL));
            case MESSAGE -> Frame.message("ünïcode.type", "payload".getBytes(StandardCharsets.UTF_8));
            case GOODBYE -> Frame.goodbye();
        };
        assertEquals(frame, new FrameDecoder(100).decode(FrameEncoder.encode(frame)));
    }

    @Test
    void shouldRoundTripTypeOfExactly255Bytes() throws FrameException {
        Frame frame = Frame.message("t".repeat(FrameConstants.MAX_TYPE_BYTES), new byte[0]);
        assertEquals(frame, new FrameDecoder(0).decode(FrameEncoder.encode(frame)));
    }

    @Test
    void shouldRefuseTypeOver255Bytes() {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(Frame.message("é".repeat(128), new byte[0])));
    }

    @Test
    void shouldMapKindsToAndFromWireValues() throws FrameException {
        for (FrameKind kind : FrameKind.values()) {
            assertEquals(kind, FrameKind.fromWire(kind.wireValue()));
        }
        assertThrows(FrameException.class, () -> FrameKind.fromWire(0));
    }
}
