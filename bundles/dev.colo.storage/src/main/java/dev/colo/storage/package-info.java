/**
 * Block storage primitives: a {@link dev.colo.api.storage.BlockDevice} over a file, sparse overlays with an
 * allocation bitmap (active and hidden disks), persistent dirty bitmaps and crash-safe state files.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.storage;
