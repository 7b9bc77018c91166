/** Test fixtures shared by the bundles' unit tests: key material made with the JDK's keytool. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.testing;
