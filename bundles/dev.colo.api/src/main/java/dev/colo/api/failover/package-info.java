/** Failover (DESIGN §8): the controller's states and what an operator or a test asks of it. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.colo.api.failover;
