/**
 * MXBean interfaces of the management plane, registered under {@code dev.colo:type=<Concern>[,name=<id>]}.
 * Attribute types are records and enums, which JConsole shows as composites; attribute names carry units.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package dev.colo.api.management;
