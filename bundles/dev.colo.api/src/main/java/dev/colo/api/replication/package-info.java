/**
 * Disk replication in the manner of QEMU's block replication: the {@link dev.colo.api.replication.ProtectedDisk}
 * operations the checkpoint coordinator and operators use, and the per-disk
 * {@link dev.colo.api.replication.ReplicationStage stage} machine.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.colo.api.replication;
