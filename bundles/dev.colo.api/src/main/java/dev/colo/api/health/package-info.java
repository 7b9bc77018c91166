/** The node's own health: failures of its components, reported and recovered from. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.api.health;
