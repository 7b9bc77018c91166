package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/**
 * The transmission phase on the wire: decoding of requests. A WRITE's declared length is checked against
 * the maximum before anything is allocated, so a length that cannot be consumed safely is a framing error
 * (the spec lets the server close then). Servers stream payloads with a {@link RequestAssembler}; clients
 * and tests take whole requests with {@link #decodeRequest}.
 */
public final class TransmissionWire {

    private TransmissionWire() {
    }

    /**
     * One request with its whole payload (in a heap buffer), or {@code null} until it is complete
     * (nothing consumed then).
     *
     * @throws NbdProtocolException on a bad magic or a WRITE longer than {@code maxPayloadBytes}
     */
    public static NbdRequest decodeRequest(ByteBuffer in, int maxPayloadBytes) throws NbdProtocolException {
        if (in.remaining() < NbdConstants.REQUEST_HEADER_BYTES
                || in.remaining() < NbdConstants.REQUEST_HEADER_BYTES + payloadBytes(in, maxPayloadBytes)) {
            return null;
        }
        NbdRequest request = decodeHeader(in, maxPayloadBytes, PayloadBuffers.HEAP);
        ByteBuffer payload = request.payload();
        if (request.hasPayload()) {
            payload.put(in.slice(in.position(), payload.remaining())).flip();
            in.position(in.position() + payload.limit());
        }
        return request;
    }

    /**
     * Consumes one request header, or nothing (returning {@code null}) while fewer than 28 bytes are there.
     * A WRITE comes with an empty buffer for its payload from {@code buffers} (position 0, limit its
     * length), which the caller fills.
     *
     * @throws NbdProtocolException on a bad magic or a WRITE longer than {@code maxPayloadBytes}
     */
    public static NbdRequest decodeHeader(ByteBuffer in, int maxPayloadBytes, PayloadBuffers buffers)
            throws NbdProtocolException {
        if (in.remaining() < NbdConstants.REQUEST_HEADER_BYTES) {
            return null;
        }
        int payloadBytes = payloadBytes(in, maxPayloadBytes);
        int start = in.position();
        int flags = Short.toUnsignedInt(in.getShort(start + 4));
        int type = Short.toUnsignedInt(in.getShort(start + 6));
        long handle = in.getLong(start + 8);
        long offset = in.getLong(start + 16);
        int length = in.getInt(start + 24);
        in.position(start + NbdConstants.REQUEST_HEADER_BYTES);
        return type == NbdCommand.WRITE.wireValue()
                ? new NbdRequest(flags, type, handle, offset, length, buffers.acquire(payloadBytes))
                : new NbdRequest(flags, type, handle, offset, length);
    }

    /** The payload length of the header at the buffer's position (which must hold 28 bytes), checked. */
    private static int payloadBytes(ByteBuffer in, int maxPayloadBytes) throws NbdProtocolException {
        int start = in.position();
        int magic = in.getInt(start);
        if (magic != NbdConstants.REQUEST_MAGIC) {
            throw new NbdProtocolException("request with bad magic 0x" + Integer.toHexString(magic));
        }
        if (Short.toUnsignedInt(in.getShort(start + 6)) != NbdCommand.WRITE.wireValue()) {
            return 0;
        }
        long declared = Integer.toUnsignedLong(in.getInt(start + 24));
        if (declared > maxPayloadBytes) {
            throw new NbdProtocolException("NBD_CMD_WRITE of " + declared + " bytes, above the maximum of "
                    + maxPayloadBytes);
        }
        return (int) declared;
    }

    /** The header of a request, for clients and tests; the payload (if any) is sent separately. */
    public static ByteBuffer encodeRequestHeader(int flags, int type, long handle, long offset, int length) {
        ByteBuffer out = ByteBuffer.allocate(NbdConstants.REQUEST_HEADER_BYTES);
        out.putInt(NbdConstants.REQUEST_MAGIC).putShort((short) flags).putShort((short) type).putLong(handle)
                .putLong(offset).putInt(length);
        return out.flip();
    }
}
