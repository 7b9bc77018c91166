package dev.colo.nbd.protocol;

import java.util.Optional;

/** Options a client may send during the handshake ({@code NBD_OPT_*}). */
public enum NbdOption {
    /** {@code NBD_OPT_EXPORT_NAME}: choose an export and enter transmission; no option reply. */
    EXPORT_NAME(1),
    /** {@code NBD_OPT_ABORT}: the client gives up; the server acknowledges and closes. */
    ABORT(2),
    /** {@code NBD_OPT_LIST}: list the exports (one NBD_REP_SERVER each). */
    LIST(3),
    /** {@code NBD_OPT_PEEK_EXPORT}: withdrawn from the spec; answered NBD_REP_ERR_UNSUP. */
    PEEK_EXPORT(4),
    /** {@code NBD_OPT_STARTTLS}: upgrade to TLS; answered NBD_REP_ERR_UNSUP when the export has no key store. */
    STARTTLS(5),
    /** {@code NBD_OPT_INFO}: describe an export without entering transmission. */
    INFO(6),
    /** {@code NBD_OPT_GO}: describe an export and enter transmission. */
    GO(7),
    /** {@code NBD_OPT_STRUCTURED_REPLY}: use structured replies during transmission. */
    STRUCTURED_REPLY(8),
    /** {@code NBD_OPT_LIST_META_CONTEXT}: list the metadata contexts matching queries. */
    LIST_META_CONTEXT(9),
    /** {@code NBD_OPT_SET_META_CONTEXT}: select metadata contexts for NBD_CMD_BLOCK_STATUS. */
    SET_META_CONTEXT(10),
    /** {@code NBD_OPT_EXTENDED_HEADERS}: 64-bit headers (not supported: NBD_REP_ERR_UNSUP). */
    EXTENDED_HEADERS(11);

    private final int wireValue;

    NbdOption(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** The option with this wire value, empty for an unknown one. */
    public static Optional<NbdOption> fromWire(int value) {
        for (NbdOption option : values()) {
            if (option.wireValue == value) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    /** The spec name of a wire value, also for unknown ones ({@code NBD_OPT_UNKNOWN(42)}), for logs. */
    public static String nameOf(int value) {
        return fromWire(value).map(option -> "NBD_OPT_" + option.name()).orElse("NBD_OPT_UNKNOWN(" + value + ")");
    }
}
