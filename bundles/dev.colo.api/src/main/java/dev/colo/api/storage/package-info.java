/**
 * Block storage as bundles share it: a {@link dev.colo.api.storage.BlockDevice} is what a guest reads and
 * writes, what the NBD server exports, and what replication stacks on top of files.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.colo.api.storage;
