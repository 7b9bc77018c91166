package dev.colo.guest.kv.internal.component;

import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.storage.BlockDevice;
import dev.colo.guest.kv.internal.log.CommandLog;
import dev.colo.guest.kv.internal.server.KvServer;
import dev.colo.guest.kv.internal.store.KvStore;
import dev.colo.guest.kv.internal.store.Mutation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference guest of this node (configuration {@value GuestSettings#PID}). It runs while its protected
 * disk is there: it recovers its data from the disk's log, listens for the proxy, and registers itself as a
 * {@link ProtectedGuest} for the checkpoint coordinator; when the disk goes, so does the guest. Invalid
 * configuration leaves it inactive with an error naming the key and value.
 */
@Component(configurationPid = GuestSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
@Designate(ocd = GuestConfig.class)
public final class KvGuestComponent {
    private static final Logger logger = LoggerFactory.getLogger(KvGuestComponent.class);

    /** Every protected disk of this node, by name (bound before activation too). */
    private final Map<String, BlockDevice> devices = new HashMap<>();
    private GuestSettings settings;
    private BundleContext context;
    private BlockDevice disk;
    private KvServer server;
    private ServiceRegistration<ProtectedGuest> registration;

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        settings = ComponentConfiguration.parse(logger, properties, GuestSettings::parse, GuestSettings::unknownKeys,
                parsed -> GuestSettings.PID, "the guest");
        synchronized (this) {
            context = bundleContext;
            BlockDevice device = devices.get(settings.disk());
            if (device != null) {
                start(device);
            } else {
                logger.info("Guest {}: waiting for disk {}", settings.name(), settings.disk());
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
        context = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindDevice(BlockDevice device, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(BlockDevice.NAME_PROPERTY));
        devices.put(name, device);
        if (context != null && disk == null && name.equals(settings.disk())) {
            start(device);
        }
    }

    synchronized void unbindDevice(BlockDevice device, Map<String, Object> properties) {
        devices.remove(String.valueOf(properties.get(BlockDevice.NAME_PROPERTY)), device);
        if (device == disk) {
            logger.warn("Guest {}: disk {} is gone; the guest stops until it is back", settings.name(), settings.disk());
            stop();
        }
    }

    /** Recovers the data from the disk's log, listens, and offers the guest to the coordinator. */
    private void start(BlockDevice device) {
        try {
            List<Mutation> recovered = new ArrayList<>();
            CommandLog log = CommandLog.open(device, recovered::add);
            KvStore store = new KvStore(log, System::currentTimeMillis);
            recovered.forEach(store::replay);
            server = new KvServer(settings.name(), store);
            InetSocketAddress endpoint = server.start(new InetSocketAddress(settings.listenAddress(),
                    settings.listenPort()));
            disk = device;
            registration = context.registerService(ProtectedGuest.class, new KvGuest(settings, store, server, endpoint),
                    FrameworkUtil.asDictionary(Map.of(ProtectedGuest.NAME_PROPERTY, settings.name())));
            logger.info("Guest {}: {} keys recovered from disk {} (log generation {}); listening on {}",
                    settings.name(), store.size(), settings.disk(), log.generation(), endpoint);
        } catch (IOException e) {
            logger.error("Guest {}: cannot start on disk {} at {}:{}: {}", settings.name(), settings.disk(),
                    settings.listenAddress(), settings.listenPort(), e.toString());
            stop();
        }
    }

    private void stop() {
        ManagedBean.unregisterQuietly(registration);
        registration = null;
        if (server != null) {
            server.close();
            server = null;
        }
        disk = null;
    }
}
