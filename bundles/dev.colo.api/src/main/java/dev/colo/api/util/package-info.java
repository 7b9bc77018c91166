/** Small helpers every bundle of the appliance uses the same way. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.api.util;
