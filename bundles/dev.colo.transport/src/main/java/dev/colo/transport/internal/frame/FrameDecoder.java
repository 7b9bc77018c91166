package dev.colo.transport.internal.frame;

import dev.colo.api.ColoErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Incremental decoder of one connection's byte stream: feed it whatever arrived, it consumes what it
 * needs and returns a frame once one is complete. The header is validated, and the declared lengths are
 * checked against the limits, before any buffer for the body is allocated. Not thread-safe: one per
 * connection. After an exception the stream is unusable; the connection must be closed.
 */
public final class FrameDecoder {
    /** Where in the current frame the decoder is. */
    private enum Phase {
        /** Collecting the fixed header. */
        HEADER,
        /** Header accepted; collecting the type and payload it declared. */
        BODY
    }

    private final int maxPayloadBytes;
    private final ByteBuffer header = ByteBuffer.allocate(FrameConstants.HEADER_BYTES);
    private Phase phase = Phase.HEADER;
    private FrameKind kind;
    private ByteBuffer type;
    private ByteBuffer payload;

    /** @param maxPayloadBytes largest payload accepted (the configured maximum frame size) */
    public FrameDecoder(int maxPayloadBytes) {
        if (maxPayloadBytes < 0) {
            throw new IllegalArgumentException("maxPayloadBytes must not be negative");
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Consumes bytes from {@code in} up to the end of the current frame.
     *
     * @return the completed frame, or {@code null} when {@code in} ran out first (all of it consumed)
     * @throws FrameException on bad magic, unknown version or kind, or a declared length above its limit
     */
    public Frame decode(ByteBuffer in) throws FrameException {
        if (phase == Phase.HEADER) {
            transfer(in, header);
            if (header.hasRemaining()) {
                return null;
            }
            header.flip();
            startBody(header);
            header.clear();
            phase = Phase.BODY;
        }
        transfer(in, type);
        transfer(in, payload);
        if (type.hasRemaining() || payload.hasRemaining()) {
            return null;
        }
        Frame frame = new Frame(kind, utf8(type), payload.array());
        phase = Phase.HEADER;
        type = null;
        payload = null;
        return frame;
    }

    private void startBody(ByteBuffer header) throws FrameException {
        int magic = header.getInt();
        if (magic != FrameConstants.MAGIC) {
            throw new FrameException(ColoErrorCode.FRAME_BAD_MAGIC, Integer.toHexString(magic));
        }
        int version = Byte.toUnsignedInt(header.get());
        if (version != FrameConstants.VERSION) {
            throw new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION, "unsupported protocol version " + version);
        }
        kind = FrameKind.fromWire(Byte.toUnsignedInt(header.get()));
        int typeBytes = Short.toUnsignedInt(header.getShort());
        long payloadBytes = Integer.toUnsignedLong(header.getInt());
        if (typeBytes > FrameConstants.MAX_TYPE_BYTES) {
            throw new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION,
                    "message type of " + typeBytes + " bytes, above " + FrameConstants.MAX_TYPE_BYTES);
        }
        if ((kind == FrameKind.MESSAGE) == (typeBytes == 0)) {
            throw new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION,
                    "a " + kind + " frame " + (typeBytes == 0 ? "needs" : "must not have") + " a message type");
        }
        if (payloadBytes > maxPayloadBytes) {
            throw new FrameException(ColoErrorCode.FRAME_TOO_LARGE, payloadBytes, maxPayloadBytes);
        }
        // Only now, with both lengths within their limits, is it safe to allocate.
        type = ByteBuffer.allocate(typeBytes);
        payload = ByteBuffer.allocate((int) payloadBytes);
    }

    private static void transfer(ByteBuffer from, ByteBuffer to) {
        int count = Math.min(from.remaining(), to.remaining());
        if (count > 0) {
            ByteBuffer slice = from.slice();
            slice.limit(count);
            to.put(slice);
            from.position(from.position() + count);
        }
    }

    private static String utf8(ByteBuffer bytes) throws FrameException {
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION, "message type is not valid UTF-8");
        }
    }
}
