/**
 * The checkpoint protocol's hooks (DESIGN §5): {@link dev.colo.api.checkpoint.CheckpointRequests} for those
 * that need a checkpoint (the proxy on a miscompare or a compare timeout, an operator, the timer), and the
 * {@link dev.colo.api.checkpoint.CheckpointParticipant} whiteboard for those that act at its steps (the
 * proxy releases held output, replication and the proxy start a new epoch).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.api.checkpoint;
