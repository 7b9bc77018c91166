package dev.colo.management.rmi.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the RMI registry of Karaf's JMX connector at start level 20, before Karaf's management server starts.
 * Karaf first looks for a registry at its address and uses the one it finds; it then never binds the port
 * itself. This matters because Karaf restarts its connector once during boot (its required services and its
 * configuration arrive in any order), and a registry it created and dropped keeps its port until a garbage
 * collection closes the socket: the new one then failed with "Port already in use" and the node had no JMX
 * for the rest of its life (seen in 2 boots of 3 with a large initial heap).
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class RegistryActivator implements BundleActivator {
    private static final Logger logger = LoggerFactory.getLogger(RegistryActivator.class);

    private static final String RMI_HOSTNAME = "java.rmi.server.hostname";

    private EarlyRegistry registry;

    @Override
    public void start(BundleContext context) {
        String etc = context.getProperty("karaf.etc");
        if (etc == null) {
            logger.info("No karaf.etc: the JMX registry is left to Karaf");
            return;
        }
        try {
            Optional<RegistryAddress> address = RegistryAddress.in(Path.of(etc));
            if (address.isEmpty()) {
                logger.info("{} sets no plain registry address: the JMX registry is left to Karaf",
                        RegistryAddress.FILE);
                return;
            }
            if (!address.get().host().isEmpty() && System.getProperty(RMI_HOSTNAME) == null) {
                // as Karaf's management server does, but first: RMI fixes the host its stubs name at its first
                // export, which is now this registry's, so the JMX connector's stub would otherwise name another
                System.setProperty(RMI_HOSTNAME, address.get().host());
            }
            registry = EarlyRegistry.create(address.get());
            logger.info("JMX RMI registry listening on {} (Karaf's management server will use it)", address.get());
        } catch (IOException | RuntimeException e) {
            // Karaf then creates it as it always did; the node only loses this protection
            logger.warn("JMX RMI registry not created early: {}; Karaf creates it", e.toString());
        }
    }

    @Override
    public void stop(BundleContext context) {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }
}
