package dev.colo.api.heartbeat;

/**
 * What this node believes of its peer. Moves UNKNOWN → ALIVE on first contact, then ALIVE → SUSPECTED →
 * DEAD as silence grows, and back to ALIVE as soon as the peer is heard again.
 */
public enum PeerHealth {
    /** Never heard from the peer since this node started; no conclusion is drawn from that. */
    UNKNOWN,
    /** Heard from the peer within the suspect time (two heartbeat intervals, at most half the timeout). */
    ALIVE,
    /** Silent for longer than the suspect time, or its connection dropped; not yet declared dead. */
    SUSPECTED,
    /** Silent for longer than the heartbeat timeout: failover may act on this. */
    DEAD
}
