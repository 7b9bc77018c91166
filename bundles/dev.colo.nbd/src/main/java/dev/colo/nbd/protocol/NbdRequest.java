package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One transmission-phase request: the 28-byte header and, for {@link NbdCommand#WRITE}, its payload
 * ({@code length} bytes between position 0 and the limit; an empty buffer otherwise). The type is kept as
 * on the wire so that an unknown command still has a handle to answer EINVAL to. The payload buffer is
 * owned by the request: whoever consumes the request gives it back to the {@link PayloadBuffers} it came from.
 */
public record NbdRequest(int flags, int type, long handle, long offset, int length, ByteBuffer payload) {

    static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** A request without payload. */
    public NbdRequest(int flags, int type, long handle, long offset, int length) {
        this(flags, type, handle, offset, length, NO_PAYLOAD);
    }

    public Optional<NbdCommand> command() {
        return NbdCommand.fromWire(type);
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** The length as the unsigned 32-bit value it is on the wire. */
    public long lengthUnsigned() {
        return Integer.toUnsignedLong(length);
    }

    /** Bytes of payload received with the request (0 but for WRITE), whatever was consumed since. */
    public int payloadBytes() {
        return payload.limit();
    }

    /** Whether this request carries a payload that must go back to its {@link PayloadBuffers}. */
    public boolean hasPayload() {
        return payload != NO_PAYLOAD;
    }

    @Override
    public String toString() {
        return NbdCommand.nameOf(type) + "[handle=" + Long.toHexString(handle) + " offset=" + Long.toUnsignedString(offset)
                + " length=" + lengthUnsigned() + " flags=0x" + Integer.toHexString(flags) + "]";
    }
}
