package dev.colo.nbd.client;

import dev.colo.nbd.protocol.NbdConstants;

/**
 * What the handshake told the client about its export.
 *
 * @param name the export name asked for
 * @param sizeBytes export size, in bytes
 * @param transmissionFlags the 16-bit {@code NBD_FLAG_*} transmission flags
 * @param minBlockBytes minimum block size, in bytes (1 if the server sent no NBD_INFO_BLOCK_SIZE)
 * @param preferredBlockBytes preferred block size, in bytes (4096 if not sent)
 * @param maxBlockBytes maximum payload size, in bytes (32 MiB if not sent)
 * @param structuredReplies whether NBD_OPT_STRUCTURED_REPLY was negotiated
 * @param tls whether the connection was upgraded with NBD_OPT_STARTTLS
 */
public record ExportDetails(String name, long sizeBytes, int transmissionFlags, int minBlockBytes,
        int preferredBlockBytes, int maxBlockBytes, boolean structuredReplies, boolean tls) {

    public boolean readOnly() {
        return has(NbdConstants.FLAG_READ_ONLY);
    }

    public boolean canFlush() {
        return has(NbdConstants.FLAG_SEND_FLUSH);
    }

    public boolean canFua() {
        return has(NbdConstants.FLAG_SEND_FUA);
    }

    public boolean canTrim() {
        return has(NbdConstants.FLAG_SEND_TRIM);
    }

    public boolean canWriteZeroes() {
        return has(NbdConstants.FLAG_SEND_WRITE_ZEROES);
    }

    public boolean canMultiConn() {
        return has(NbdConstants.FLAG_CAN_MULTI_CONN);
    }

    private boolean has(int flag) {
        return (transmissionFlags & flag) != 0;
    }
}
