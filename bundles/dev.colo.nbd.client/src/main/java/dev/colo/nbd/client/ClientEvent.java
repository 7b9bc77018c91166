package dev.colo.nbd.client;

/** What moves a connection from one {@link ClientState} to the next. */
public enum ClientEvent {
    /** The client starts dialling the server. */
    DIAL,
    /** The TCP connection is established. */
    CONNECTED,
    /** A valid newstyle greeting arrived and the client flags were sent. */
    GREETING,
    /** An option was written to the server. */
    OPTION_SENT,
    /** A reply to the current option arrived and the negotiation continues with another option. */
    OPTION_REPLY,
    /** The server accepted NBD_OPT_STARTTLS; the TLS handshake starts. */
    STARTTLS_ACCEPTED,
    /** The TLS handshake completed; options continue over TLS. */
    TLS_SECURED,
    /** NBD_OPT_GO was acknowledged or NBD_OPT_EXPORT_NAME answered: transmission begins. */
    EXPORT_ACCEPTED,
    /** The owner asked for an orderly close (NBD_CMD_DISC in transmission, plain close before). */
    CLOSE,
    /** The transport closed. Orderly while CLOSING, a connection loss otherwise. */
    SESSION_CLOSED,
    /** The server broke the protocol, refused the handshake or the transport failed. */
    FAILURE
}
