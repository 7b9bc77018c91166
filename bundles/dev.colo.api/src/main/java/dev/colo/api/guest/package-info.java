/**
 * Protected guests (DESIGN §7): a service whose state the checkpoint coordinator captures on the primary and
 * restores on the secondary, and whose endpoint the proxy forwards clients to.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.colo.api.guest;
