package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/** A simple reply: magic, errno (0 = success), handle, and for a successful READ the data. */
public record SimpleReply(long handle, int error, ByteBuffer data) implements ServerMessage {

    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    public static SimpleReply ok(long handle) {
        return new SimpleReply(handle, 0, NO_DATA);
    }

    /** Success with the data between the buffer's position and limit. */
    public static SimpleReply ok(long handle, ByteBuffer data) {
        return new SimpleReply(handle, 0, data);
    }

    public static SimpleReply error(long handle, NbdError error) {
        return new SimpleReply(handle, error.wireValue(), NO_DATA);
    }

    @Override
    public ByteBuffer encode() {
        ByteBuffer payload = data.duplicate();
        ByteBuffer out = ByteBuffer.allocate(NbdConstants.SIMPLE_REPLY_HEADER_BYTES + payload.remaining());
        out.putInt(NbdConstants.SIMPLE_REPLY_MAGIC).putInt(error).putLong(handle).put(payload);
        return out.flip();
    }
}
