package dev.colo.nbd.protocol;

import java.util.Optional;

/** Structured reply chunk types ({@code NBD_REPLY_TYPE_*}). */
public enum NbdReplyType {
    /** {@code NBD_REPLY_TYPE_NONE}: no payload; only as the final chunk. */
    NONE(0),
    /** {@code NBD_REPLY_TYPE_OFFSET_DATA}: 64-bit offset, then the data read there. */
    OFFSET_DATA(1),
    /** {@code NBD_REPLY_TYPE_OFFSET_HOLE}: 64-bit offset and 32-bit length that read as zeroes. */
    OFFSET_HOLE(2),
    /** {@code NBD_REPLY_TYPE_BLOCK_STATUS}: context id, then (length, flags) extent descriptors. */
    BLOCK_STATUS(5),
    /** {@code NBD_REPLY_TYPE_ERROR}: errno (32), message length (16), message. */
    ERROR(0x8000 | 1),
    /** {@code NBD_REPLY_TYPE_ERROR_OFFSET}: as ERROR, followed by the 64-bit offset that failed. */
    ERROR_OFFSET(0x8000 | 2);

    private final int wireValue;

    NbdReplyType(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    public static Optional<NbdReplyType> fromWire(int value) {
        for (NbdReplyType type : values()) {
            if (type.wireValue == value) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
