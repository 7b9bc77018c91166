package dev.colo.nbd.internal.server;

import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.storage.FileBlockDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NBD export per factory configuration {@value #PID}: validates the configuration, opens the backing
 * file or device, listens on its own port (one listener per export; exports do not share a port), offers
 * TLS through NBD_OPT_STARTTLS when a key store is configured (required with {@code tls.required=true}) and
 * registers the export's MXBean through the JMX whiteboard. Invalid configuration leaves the component
 * inactive with an error naming the key and value. No {@code @Modified}: a change re-creates the export.
 */
@Component(configurationPid = NbdExportComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = NbdExportConfig.class, factory = true)
public final class NbdExportComponent {
    public static final String PID = "dev.colo.nbd.export";

    private static final Logger logger = LoggerFactory.getLogger(NbdExportComponent.class);

    private final FileBlockDevice store;
    private final ServedExport served;

    @Activate
    public NbdExportComponent(BundleContext context, Map<String, Object> properties) {
        NbdExportSettings settings = ComponentConfiguration.parse(logger, properties, NbdExportSettings::parse,
                NbdExportSettings::unknownKeys, parsed -> PID + " (" + parsed.name() + ")", "the export");
        try {
            this.store = FileBlockDevice.open(settings.path(), settings.sizeBytes(), settings.readOnly());
        } catch (IOException e) {
            logger.error("NBD export {}: cannot open {}: {}", settings.name(), settings.path(), e.getMessage());
            throw new UncheckedIOException(e);
        }
        NbdExport export = new NbdExport(settings.name(), store);
        ServerTls tls;
        try {
            tls = ServerTls.of(settings.tlsMode(), settings.tls());
        } catch (InvalidConfigurationException e) {
            logger.error("{} — the export stays inactive until this is corrected", e.getMessage());
            closeQuietly();
            throw e;
        }
        try {
            this.served = ServedExport.start(context, export,
                    new InetSocketAddress(settings.bindAddress(), settings.port()), tls, settings.path().toString());
        } catch (IOException | RuntimeException e) {
            logger.error("NBD export {}: cannot listen on {}:{}: {}", settings.name(), settings.bindAddress(),
                    settings.port(), e.toString());
            closeQuietly();
            throw e instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(e);
        }
    }

    @Deactivate
    void deactivate() {
        served.close();
        closeQuietly(); // this component opened the store, so it closes it
    }

    private void closeQuietly() {
        try {
            store.close();
        } catch (IOException e) {
            logger.warn("NBD export: closing {} failed: {}", store.path(), e.toString());
        }
    }
}
