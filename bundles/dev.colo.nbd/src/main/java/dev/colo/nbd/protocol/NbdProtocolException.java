package dev.colo.nbd.protocol;

/**
 * A framing error: the byte stream can no longer be parsed (bad magic, impossible length, unknown client
 * flags). The connection that sent it is closed; other connections are not affected.
 */
public final class NbdProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public NbdProtocolException(String message) {
        super(message);
    }
}
