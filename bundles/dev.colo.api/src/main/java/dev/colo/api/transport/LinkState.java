package dev.colo.api.transport;

/** State of the peer link as a whole. */
public enum LinkState {
    /** No authenticated connection to the peer; reconnect attempts go on with backoff. */
    DISCONNECTED,
    /** Some but not all channels are connected and authenticated, in one direction or both. */
    CONNECTING,
    /** Every channel is connected and authenticated in both directions. */
    CONNECTED,
    /** The link was closed for good (component stopped); no more reconnects. */
    CLOSED
}
