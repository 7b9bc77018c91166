package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/**
 * One structured reply chunk: magic, flags ({@link NbdConstants#REPLY_FLAG_DONE} on the last), type,
 * handle, and the type-specific payload between the buffer's position and limit.
 */
public record StructuredReplyChunk(int flags, NbdReplyType type, long handle, ByteBuffer payload)
        implements ServerMessage {

    /** A whole READ in one final {@code NBD_REPLY_TYPE_OFFSET_DATA} chunk. */
    public static StructuredReplyChunk offsetData(long handle, long offset, ByteBuffer data) {
        ByteBuffer payload = ByteBuffer.allocate(8 + data.remaining());
        payload.putLong(offset).put(data.duplicate()).flip();
        return new StructuredReplyChunk(NbdConstants.REPLY_FLAG_DONE, NbdReplyType.OFFSET_DATA, handle, payload);
    }

    /** A final {@code NBD_REPLY_TYPE_BLOCK_STATUS} chunk: one context, extents as (length, flags) pairs. */
    public static StructuredReplyChunk blockStatus(long handle, int contextId, long[] lengths, int[] flags) {
        ByteBuffer payload = ByteBuffer.allocate(4 + 8 * lengths.length).putInt(contextId);
        for (int i = 0; i < lengths.length; i++) {
            payload.putInt((int) lengths[i]).putInt(flags[i]);
        }
        return new StructuredReplyChunk(NbdConstants.REPLY_FLAG_DONE, NbdReplyType.BLOCK_STATUS, handle,
                payload.flip());
    }

    /** A final {@code NBD_REPLY_TYPE_ERROR} chunk with an empty message. */
    public static StructuredReplyChunk error(long handle, NbdError error) {
        ByteBuffer payload = ByteBuffer.allocate(4 + 2).putInt(error.wireValue()).putShort((short) 0).flip();
        return new StructuredReplyChunk(NbdConstants.REPLY_FLAG_DONE, NbdReplyType.ERROR, handle, payload);
    }

    /** A final {@code NBD_REPLY_TYPE_NONE} chunk. */
    public static StructuredReplyChunk done(long handle) {
        return new StructuredReplyChunk(NbdConstants.REPLY_FLAG_DONE, NbdReplyType.NONE, handle, ByteBuffer.allocate(0));
    }

    @Override
    public ByteBuffer encode() {
        ByteBuffer body = payload.duplicate();
        ByteBuffer out = ByteBuffer.allocate(NbdConstants.STRUCTURED_REPLY_HEADER_BYTES + body.remaining());
        out.putInt(NbdConstants.STRUCTURED_REPLY_MAGIC).putShort((short) flags).putShort((short) type.wireValue())
                .putLong(handle).putInt(body.remaining()).put(body);
        return out.flip();
    }
}
