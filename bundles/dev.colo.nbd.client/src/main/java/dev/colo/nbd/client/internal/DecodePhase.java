package dev.colo.nbd.client.internal;

/** What the client's decoder expects next from the server. */
enum DecodePhase {
    /** NBDMAGIC, IHAVEOPT and the handshake flags (18 bytes). */
    GREETING,
    /** Option replies (20-byte header and data). */
    OPTION_REPLY,
    /** The answer to NBD_OPT_EXPORT_NAME: size, flags and, unless NO_ZEROES, 124 zero bytes. */
    EXPORT_NAME_REPLY,
    /** Simple replies and structured reply chunks. */
    TRANSMISSION
}
