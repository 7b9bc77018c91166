/**
 * Failure detection of the peer: heartbeats at a fixed interval, any traffic counting as a sign of life,
 * and the peer's {@link dev.colo.api.heartbeat.PeerHealth health} derived from the time since it was last heard.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.api.heartbeat;
