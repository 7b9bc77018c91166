package dev.colo.transport.internal;

/** Which way a connection carries messages, seen from this node. */
public enum Direction {
    /** We dialed it and send our messages on it; we reconnect it when it drops. */
    OUTBOUND,
    /** The peer dialed it and sends its messages on it; the peer reconnects it. */
    INBOUND
}
