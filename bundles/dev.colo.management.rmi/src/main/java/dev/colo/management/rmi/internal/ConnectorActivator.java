package dev.colo.management.rmi.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.karaf.jaas.config.KeystoreInstance;
import org.apache.karaf.jaas.config.impl.ResourceKeystoreInstance;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares Karaf's JMX connector at start level 20, before Karaf's management server (30) starts:
 * <ul>
 * <li>Creates its RMI registry. Karaf first looks for a registry at its address and uses the one it finds; it then
 * never binds the port itself. This matters because Karaf restarts its connector once during boot (its required
 * services and its configuration arrive in any order), and a registry it created and dropped keeps its port until a
 * garbage collection closes the socket: the new one then failed with "Port already in use" and the node had no JMX for
 * the rest of its life (seen in 2 boots of 3 with a large initial heap).</li>
 * <li>The registry outlives a stop or an update of this bundle: Karaf's connector stays bound in it.</li>
 * <li>Registers the connector's TLS key and trust store ({@link ConnectorTls}). Karaf binds a secured connector only
 * when they are registered before it starts; registered later, it stays unbound.</li>
 * </ul>
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class ConnectorActivator implements BundleActivator {
    private static final Logger logger = LoggerFactory.getLogger(ConnectorActivator.class);

    private static final String RMI_HOSTNAME = "java.rmi.server.hostname";
    /**
     * How often the TLS material is read before it counts as unusable: at boot, Felix FileInstall may be rewriting
     * etc/ files in place (a node restarted after its configuration changed), and a read then sees part of a file.
     */
    private static final int READ_ATTEMPTS = 10;
    private static final long READ_RETRY_MILLIS = 200;

    private final List<ServiceRegistration<KeystoreInstance>> keystores = new ArrayList<>();

    @Override
    public void start(BundleContext context) {
        String etc = context.getProperty("karaf.etc");
        if (etc == null) {
            logger.info("No karaf.etc: the JMX connector is left to Karaf");
            return;
        }
        registerTls(context, Path.of(etc));
        createRegistry(Path.of(etc));
    }

    private void registerTls(BundleContext context, Path etc) {
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            try {
                register(context, etc, ConnectorTls.in(etc, context::getProperty));
                return;
            } catch (IOException | RuntimeException e) {
                if (attempt == READ_ATTEMPTS) {
                    // no plaintext fallback: Karaf's secured connector waits for these stores in vain and stays unbound
                    logger.error("JMX connector disabled: its TLS material is unusable: {}", e.getMessage());
                    return;
                }
                logger.debug("JMX connector TLS not usable yet (read {} of {}): {}", attempt, READ_ATTEMPTS,
                        e.getMessage());
                try {
                    Thread.sleep(READ_RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void register(BundleContext context, Path etc, Optional<ConnectorTls> tls) throws IOException {
        if (tls.isEmpty()) {
            warnIfPlaintext(etc);
            return;
        }
        for (ConnectorTls.Store store : List.of(tls.get().keyStore(), tls.get().trustStore())) {
            keystores.add(context.registerService(KeystoreInstance.class, keystore(store, tls.get().keyAlias()), null));
        }
        logger.info("JMX connector TLS: key {} alias {}, trust {}", tls.get().keyStore(), tls.get().keyAlias(),
                tls.get().trustStore());
    }

    private static void warnIfPlaintext(Path etc) throws IOException {
        Optional<Properties> management = EtcFile.read(etc, RegistryAddress.FILE);
        if (management.isPresent() && !ConnectorTls.secured(management.get())) {
            logger.warn("JMX CONNECTOR WITHOUT TLS: logins and every JMX call cross the network in clear text ({} = "
                    + "false in {}); set it to true", ConnectorTls.SECURED_KEY, etc.resolve(RegistryAddress.FILE));
        }
    }

    private static KeystoreInstance keystore(ConnectorTls.Store store, String keyAlias) throws IOException {
        ResourceKeystoreInstance keystore = new ResourceKeystoreInstance();
        keystore.setName(store.name());
        keystore.setType("PKCS12");
        keystore.setPath(store.path().toUri().toURL());
        keystore.setKeystorePassword(store.password());
        // PKCS#12 keeps one password for the store and its keys
        keystore.setKeyPasswords(keyAlias + "=" + store.password());
        return keystore;
    }

    private void createRegistry(Path etc) {
        try {
            Optional<RegistryAddress> address = RegistryAddress.in(etc);
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
            Optional<EarlyRegistry> created = EarlyRegistry.createOrFind(address.get());
            if (created.isPresent()) {
                logger.info("JMX RMI registry listening on {} (Karaf's management server will use it)", address.get());
            } else {
                logger.info("JMX RMI registry already listening on {} (from this bundle's earlier start; Karaf's "
                        + "connector is bound in it)", address.get());
            }
        } catch (IOException | RuntimeException e) {
            // Karaf then creates it as it always did; the node only loses this protection
            logger.warn("JMX RMI registry not created early: {}; Karaf creates it", e.toString());
        }
    }

    @Override
    public void stop(BundleContext context) {
        keystores.forEach(ServiceRegistration::unregister);
        keystores.clear();
        // the registry stays: Karaf's connector, which outlives this bundle, is bound in it, and would not bind again
        // in a new one (the node would have no JMX until it restarts); the next start of this bundle finds it

    }
}
