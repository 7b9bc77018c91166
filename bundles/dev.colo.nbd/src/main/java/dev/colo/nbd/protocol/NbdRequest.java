package dev.colo.nbd.protocol;

import java.util.Optional;

/**
 * One transmission-phase request: the 28-byte header and, for {@link NbdCommand#WRITE}, its payload
 * ({@code length} bytes; an empty array otherwise). The type is kept as on the wire so that an unknown
 * command still has a handle to answer EINVAL to. The payload array is owned by the record.
 */
public record NbdRequest(int flags, int type, long handle, long offset, int length, byte[] payload) {

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

    @Override
    public String toString() {
        return NbdCommand.nameOf(type) + "[handle=" + Long.toHexString(handle) + " offset=" + Long.toUnsignedString(offset)
                + " length=" + lengthUnsigned() + " flags=0x" + Integer.toHexString(flags) + "]";
    }
}
