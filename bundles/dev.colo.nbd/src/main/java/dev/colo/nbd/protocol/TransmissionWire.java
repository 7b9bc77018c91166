package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/**
 * The transmission phase on the wire: decoding of requests. A WRITE is returned only with its whole
 * payload; its declared length is checked against the maximum before anything is allocated, so a
 * length that cannot be consumed safely is a framing error (the spec lets the server close then).
 */
public final class TransmissionWire {

    private TransmissionWire() {
    }

    /**
     * One request with its payload, or {@code null} until it is complete (nothing consumed then).
     *
     * @throws NbdProtocolException on a bad magic or a WRITE longer than {@code maxPayloadBytes}
     */
    public static NbdRequest decodeRequest(ByteBuffer in, int maxPayloadBytes) throws NbdProtocolException {
        if (in.remaining() < NbdConstants.REQUEST_HEADER_BYTES) {
            return null;
        }
        int start = in.position();
        int magic = in.getInt(start);
        if (magic != NbdConstants.REQUEST_MAGIC) {
            throw new NbdProtocolException("request with bad magic 0x" + Integer.toHexString(magic));
        }
        int flags = Short.toUnsignedInt(in.getShort(start + 4));
        int type = Short.toUnsignedInt(in.getShort(start + 6));
        long handle = in.getLong(start + 8);
        long offset = in.getLong(start + 16);
        int length = in.getInt(start + 24);
        int payloadBytes = 0;
        if (type == NbdCommand.WRITE.wireValue()) {
            long declared = Integer.toUnsignedLong(length);
            if (declared > maxPayloadBytes) {
                throw new NbdProtocolException("NBD_CMD_WRITE of " + declared + " bytes, above the maximum of "
                        + maxPayloadBytes);
            }
            payloadBytes = (int) declared;
            if (in.remaining() < NbdConstants.REQUEST_HEADER_BYTES + payloadBytes) {
                return null;
            }
        }
        in.position(start + NbdConstants.REQUEST_HEADER_BYTES);
        byte[] payload = new byte[payloadBytes];
        in.get(payload);
        return new NbdRequest(flags, type, handle, offset, length, payload);
    }

    /** The header of a request, for clients and tests; the payload (if any) is sent separately. */
    public static ByteBuffer encodeRequestHeader(int flags, int type, long handle, long offset, int length) {
        ByteBuffer out = ByteBuffer.allocate(NbdConstants.REQUEST_HEADER_BYTES);
        out.putInt(NbdConstants.REQUEST_MAGIC).putShort((short) flags).putShort((short) type).putLong(handle)
                .putLong(offset).putInt(length);
        return out.flip();
    }
}
