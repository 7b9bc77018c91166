package dev.colo.nbd.protocol;

/**
 * What the handshake tells a client about an export: its name, size, whether it is read-only, and the
 * block size constraints of {@code NBD_INFO_BLOCK_SIZE}.
 */
public record ExportInfo(String name, long sizeBytes, boolean readOnly, int minBlockBytes, int preferredBlockBytes,
        int maxBlockBytes) {

    public ExportInfo {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("export size must not be negative: " + sizeBytes);
        }
    }

    /** An export with our block sizes: any alignment, 4 KiB preferred, {@link NbdConstants#MAX_PAYLOAD_BYTES} max. */
    public static ExportInfo of(String name, long sizeBytes, boolean readOnly) {
        return new ExportInfo(name, sizeBytes, readOnly, NbdConstants.MIN_BLOCK_SIZE_BYTES,
                NbdConstants.PREFERRED_BLOCK_SIZE_BYTES, NbdConstants.MAX_PAYLOAD_BYTES);
    }

    /**
     * The transmission flags for a connection. Every export may advertise CAN_MULTI_CONN because all
     * connections of an export share one backing store, whose flush makes every completed write durable.
     * SEND_DF only when structured replies were negotiated (READ replies are never fragmented anyway).
     */
    public int transmissionFlags(boolean structuredReplies) {
        int flags = NbdConstants.FLAG_HAS_FLAGS | NbdConstants.FLAG_SEND_FLUSH | NbdConstants.FLAG_SEND_FUA
                | NbdConstants.FLAG_SEND_TRIM | NbdConstants.FLAG_SEND_WRITE_ZEROES | NbdConstants.FLAG_CAN_MULTI_CONN;
        if (readOnly) {
            flags |= NbdConstants.FLAG_READ_ONLY;
        }
        if (structuredReplies) {
            flags |= NbdConstants.FLAG_SEND_DF;
        }
        return flags;
    }
}
