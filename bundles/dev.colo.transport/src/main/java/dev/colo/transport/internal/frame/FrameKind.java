package dev.colo.transport.internal.frame;

import dev.colo.api.ColoErrorCode;

/** What a frame is for; the second byte after the magic. */
public enum FrameKind {
    /** Dialer → acceptor, first frame on a connection: who I am and which channel this is. */
    HELLO(1),
    /** Acceptor → dialer, answer to a valid HELLO: the connection now carries messages. */
    WELCOME(2),
    /** Dialer → acceptor: one application message (type + payload). */
    MESSAGE(3),
    /** Either side, before a graceful close: do not treat the disconnect as a failure. */
    GOODBYE(4);

    private final int wireValue;

    FrameKind(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** @throws FrameException ({@link ColoErrorCode#PEER_PROTOCOL_VIOLATION}) for an unknown value */
    public static FrameKind fromWire(int wireValue) throws FrameException {
        for (FrameKind kind : values()) {
            if (kind.wireValue == wireValue) {
                return kind;
            }
        }
        throw new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION, "unknown frame kind " + wireValue);
    }
}
