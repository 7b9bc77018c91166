package dev.colo.api.heartbeat;

/**
 * Counters of the failure detector; a snapshot.
 *
 * @param health                  current health of the peer
 * @param intervalMillis          configured heartbeat interval
 * @param suspectAfterMillis      silence after which the peer is SUSPECTED
 * @param timeoutMillis           silence after which the peer is DEAD
 * @param heartbeatsSent          heartbeats handed to the peer link
 * @param heartbeatsReceived      heartbeats received from the peer
 * @param lastHeardAgoMillis      milliseconds since any traffic from the peer, -1 if never
 * @param suspectedTransitions    times the peer became SUSPECTED
 * @param deadTransitions         times the peer became DEAD
 * @param aliveTransitions        times the peer became ALIVE
 */
public record HeartbeatStats(
        PeerHealth health,
        long intervalMillis,
        long suspectAfterMillis,
        long timeoutMillis,
        long heartbeatsSent,
        long heartbeatsReceived,
        long lastHeardAgoMillis,
        long suspectedTransitions,
        long deadTransitions,
        long aliveTransitions) {
}
