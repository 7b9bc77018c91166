package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/**
 * The answer to {@code NBD_OPT_EXPORT_NAME} (no option reply header): export size, transmission flags
 * and, unless both sides agreed on NO_ZEROES, 124 zero bytes.
 */
public record ExportNameReply(long sizeBytes, int transmissionFlags, boolean noZeroes) implements ServerMessage {

    @Override
    public ByteBuffer encode() {
        int padding = noZeroes ? 0 : NbdConstants.EXPORT_NAME_ZERO_PAD_BYTES;
        ByteBuffer out = ByteBuffer.allocate(8 + 2 + padding);
        out.putLong(sizeBytes).putShort((short) transmissionFlags);
        out.position(out.limit()); // the padding is already zero
        return out.flip();
    }
}
