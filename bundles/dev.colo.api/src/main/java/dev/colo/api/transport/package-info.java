/**
 * The peer link: an authenticated, encrypted (TLS 1.3, mutual) message link between the two appliances
 * of a pair, with separate channels so that control traffic (heartbeats) never queues behind bulk data.
 * Messages reach other bundles through the {@link dev.colo.api.transport.PeerMessageListener} whiteboard.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.api.transport;
