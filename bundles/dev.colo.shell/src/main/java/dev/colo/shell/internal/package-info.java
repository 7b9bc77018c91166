/** The colo:* commands of the Karaf console. */
@Header(name = "Karaf-Commands", value = "*")
package dev.colo.shell.internal;

import org.osgi.annotation.bundle.Header;
