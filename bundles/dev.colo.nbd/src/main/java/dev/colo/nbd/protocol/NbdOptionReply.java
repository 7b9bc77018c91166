package dev.colo.nbd.protocol;

import java.util.Optional;

/** Option reply types ({@code NBD_REP_*}); the error ones have bit 31 set. */
public enum NbdOptionReply {
    /** {@code NBD_REP_ACK}: the option succeeded (last reply to it). */
    ACK(1),
    /** {@code NBD_REP_SERVER}: one export in answer to NBD_OPT_LIST. */
    SERVER(2),
    /** {@code NBD_REP_INFO}: one information item for NBD_OPT_INFO / NBD_OPT_GO. */
    INFO(3),
    /** {@code NBD_REP_META_CONTEXT}: one metadata context (id and name). */
    META_CONTEXT(4),
    /** {@code NBD_REP_ERR_UNSUP}: the option is unknown or unsupported. */
    ERR_UNSUP(0x80000000 | 1),
    /** {@code NBD_REP_ERR_POLICY}: forbidden by server policy. */
    ERR_POLICY(0x80000000 | 2),
    /** {@code NBD_REP_ERR_INVALID}: syntactically or semantically invalid. */
    ERR_INVALID(0x80000000 | 3),
    /** {@code NBD_REP_ERR_PLATFORM}: not supported on this platform. */
    ERR_PLATFORM(0x80000000 | 4),
    /** {@code NBD_REP_ERR_TLS_REQD}: TLS must be negotiated first. */
    ERR_TLS_REQD(0x80000000 | 5),
    /** {@code NBD_REP_ERR_UNKNOWN}: the requested export does not exist. */
    ERR_UNKNOWN(0x80000000 | 6),
    /** {@code NBD_REP_ERR_SHUTDOWN}: the server is shutting down. */
    ERR_SHUTDOWN(0x80000000 | 7),
    /** {@code NBD_REP_ERR_BLOCK_SIZE_REQD}: the client must honour block sizes. */
    ERR_BLOCK_SIZE_REQD(0x80000000 | 8),
    /** {@code NBD_REP_ERR_TOO_BIG}: request or reply too large. */
    ERR_TOO_BIG(0x80000000 | 9);

    private final int wireValue;

    NbdOptionReply(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    public boolean isError() {
        return wireValue < 0;
    }

    public static Optional<NbdOptionReply> fromWire(int value) {
        for (NbdOptionReply reply : values()) {
            if (reply.wireValue == value) {
                return Optional.of(reply);
            }
        }
        return Optional.empty();
    }
}
