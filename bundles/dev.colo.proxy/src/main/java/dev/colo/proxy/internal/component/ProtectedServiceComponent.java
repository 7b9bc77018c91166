package dev.colo.proxy.internal.component;

import dev.colo.api.Role;
import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.ProxyListening;
import dev.colo.api.event.ProxyMiscompare;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.management.ProxyMXBean;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.jmx.ProxyMBean;
import dev.colo.proxy.internal.mina.ServiceProxy;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One protected service per factory configuration {@value ServiceSettings#PID}, in the role the pair
 * configuration gives this node: on the primary it listens for clients, on the secondary it opens the
 * mirrored connections to its guest. Registers the service's MXBean; every miscompare is an event, and so is each
 * change of listening (a listen address it cannot bind yet is tried again, and the component stays active).
 * Invalid configuration leaves it inactive with an error naming the key and value.
 */
@Component(configurationPid = ServiceSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
@Designate(ocd = ServiceConfig.class, factory = true)
public final class ProtectedServiceComponent {
    private static final Logger logger = LoggerFactory.getLogger(ProtectedServiceComponent.class);

    private final PairSettings pair;
    private final ProxyServices services;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private ServiceSettings settings;
    private ServiceProxy proxy;
    private ManagedBean mbean;

    @Activate
    public ProtectedServiceComponent(@Reference PairConfiguration pairConfiguration, @Reference ProxyServices services) {
        this.pair = pairConfiguration.settings();
        this.services = services;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        settings = ComponentConfiguration.parse(logger, properties, ServiceSettings::parse,
                ServiceSettings::unknownKeys, parsed -> ServiceSettings.PID + " (" + parsed.name() + ")", "the service");
        proxy = new ServiceProxy(settings, pair.role(), services::send, services::requestCheckpoint, this::miscompare,
                this::listening, pair.role() == Role.PRIMARY && services.canProtect(settings));
        // the bean and its notifications first: they see the first bind, or its failure
        EventNotifications notifications = ProxyMBean.notifications(settings.name());
        mbean = ManagedBean.register(context, new ProxyMBean(settings, proxy, notifications),
                ProxyMXBean.objectName(settings.name()), notifications, ProxyMBean.eventFilter(settings.name()));
        services.register(settings.name(), proxy);
        proxy.start();
    }

    @Deactivate
    void deactivate() {
        if (mbean != null) {
            mbean.close();
        }
        services.unregister(settings.name(), proxy);
        proxy.close();
    }

    private void listening(boolean listening, String error) {
        ColoEvents.post(eventAdmin, new ProxyListening(EventSource.now(pair.nodeId().value(), pair.role()),
                settings.name(), settings.listenAt(), listening, error));
    }

    private void miscompare(long connection, long offset) {
        logger.info("Proxy {}: connection {} miscompares at byte {}", settings.name(), connection, offset);
        ColoEvents.post(eventAdmin, new ProxyMiscompare(EventSource.now(pair.nodeId().value(), pair.role()),
                settings.name(), connection, offset, "the guests' outputs differ at byte " + offset));
    }
}
