package dev.colo.nbd.client;

/**
 * The connection is not usable: the handshake failed, the connection was lost while the request was in
 * flight ("connection lost"), the client is reconnecting or closed. In-flight requests are never replayed.
 */
public final class NbdConnectionException extends Exception {
    private static final long serialVersionUID = 1L;

    public NbdConnectionException(String message) {
        super(message);
    }

    public NbdConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
