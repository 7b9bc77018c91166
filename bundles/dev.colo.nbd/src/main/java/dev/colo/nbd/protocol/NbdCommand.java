package dev.colo.nbd.protocol;

import java.util.Optional;

/** Request types of the transmission phase ({@code NBD_CMD_*}). */
public enum NbdCommand {
    /** {@code NBD_CMD_READ}: read {@code length} bytes at {@code offset}. */
    READ(0),
    /** {@code NBD_CMD_WRITE}: write the {@code length} payload bytes that follow the header. */
    WRITE(1),
    /** {@code NBD_CMD_DISC}: disconnect after the outstanding requests; no reply. */
    DISC(2),
    /** {@code NBD_CMD_FLUSH}: make every completed write durable. */
    FLUSH(3),
    /** {@code NBD_CMD_TRIM}: the range's content is no longer needed. */
    TRIM(4),
    /** {@code NBD_CMD_CACHE}: prefetch hint (not supported: EINVAL). */
    CACHE(5),
    /** {@code NBD_CMD_WRITE_ZEROES}: write zeroes without a payload. */
    WRITE_ZEROES(6),
    /** {@code NBD_CMD_BLOCK_STATUS}: report extents of the negotiated metadata contexts. */
    BLOCK_STATUS(7),
    /** {@code NBD_CMD_RESIZE}: change the export size (not supported: EINVAL). */
    RESIZE(8);

    private final int wireValue;

    NbdCommand(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** The command with this wire value, empty for an unknown one. */
    public static Optional<NbdCommand> fromWire(int value) {
        for (NbdCommand command : values()) {
            if (command.wireValue == value) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }

    /** The spec name of a wire value, also for unknown ones, for logs. */
    public static String nameOf(int value) {
        return fromWire(value).map(command -> "NBD_CMD_" + command.name()).orElse("NBD_CMD_UNKNOWN(" + value + ")");
    }

    /** Whether a payload of {@code length} bytes follows the request header. */
    public boolean hasPayload() {
        return this == WRITE;
    }

    /** Whether the command changes the export's content (refused on a read-only export). */
    public boolean modifies() {
        return this == WRITE || this == TRIM || this == WRITE_ZEROES;
    }
}
