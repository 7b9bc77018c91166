package dev.colo.nbd.internal.mina;

/** What the decoder of a connection expects next from the client. */
enum DecodePhase {
    /** The 32-bit client flags that answer the greeting. */
    CLIENT_FLAGS,
    /** Options of the handshake. */
    OPTIONS,
    /**
     * An option that may end the handshake (GO, EXPORT_NAME, ABORT) is being answered; until the handler
     * decides, further bytes are kept, as they may be options or requests. Clients wait for the answer.
     */
    OPTION_PENDING,
    /** Requests (and WRITE payloads) of the transmission phase. */
    TRANSMISSION,
    /** Nothing more is read: the client disconnected (DISC, ABORT) or the stream broke; bytes are dropped. */
    DONE
}
