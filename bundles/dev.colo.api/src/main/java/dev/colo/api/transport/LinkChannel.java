package dev.colo.api.transport;

/** The independent channels of the peer link; each is its own TLS connection. */
public enum LinkChannel {
    /** Heartbeats and small control messages; never blocked by bulk traffic. */
    CONTROL,
    /** Bulk data: mirrored client input, redirected output, checkpoint state. */
    BULK
}
