package dev.colo.nbd.internal.mina;

/** Status of one client connection, ordered from finished to working (nbdkit's connection status). */
enum ConnectionStatus {
    /** The stream broke (framing error, I/O error): closed at once, pending replies are dropped. */
    DEAD,
    /** The client sent DISC or ABORT: outstanding requests are answered, then the connection closes. */
    CLIENT_DONE,
    /** The server is stopping: the connection closes at once. */
    SHUTDOWN,
    /** Handshake or transmission in progress. */
    ACTIVE
}
