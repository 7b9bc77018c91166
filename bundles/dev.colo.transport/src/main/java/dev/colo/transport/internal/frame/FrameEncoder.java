package dev.colo.transport.internal.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Turns a frame into its wire bytes. Stateless. */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    /**
     * @return a buffer ready to be read, holding header, type and payload
     * @throws IllegalArgumentException when the type is longer than {@link FrameConstants#MAX_TYPE_BYTES}
     */
    public static ByteBuffer encode(Frame frame) {
        byte[] type = frame.type().getBytes(StandardCharsets.UTF_8);
        if (type.length > FrameConstants.MAX_TYPE_BYTES) {
            throw new IllegalArgumentException("message type of " + type.length + " bytes, above "
                    + FrameConstants.MAX_TYPE_BYTES);
        }
        byte[] payload = frame.payload();
        ByteBuffer out = ByteBuffer.allocate(FrameConstants.HEADER_BYTES + type.length + payload.length);
        out.putInt(FrameConstants.MAGIC)
                .put((byte) FrameConstants.VERSION)
                .put((byte) frame.kind().wireValue())
                .putShort((short) type.length)
                .putInt(payload.length)
                .put(type)
                .put(payload);
        return out.flip();
    }
}
