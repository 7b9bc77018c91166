/**
 * Core vocabulary of the COLO appliance: the two {@link dev.colo.api.Role roles}, the
 * {@link dev.colo.api.NodeId identity} of a node, and the {@link dev.colo.api.ColoErrorCode error codes}
 * every bundle reports problems with.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.api;
