package dev.colo.guest.kv.internal.resp;

/** A client broke the protocol; the message is what redis would answer ({@code -ERR Protocol error: …}). */
public final class RespException extends Exception {
    private static final long serialVersionUID = 1L;

    public RespException(String message) {
        super(message);
    }
}
