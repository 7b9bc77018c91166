package dev.colo.proxy.internal.component;

import dev.colo.api.Role;
import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.ProxyListening;
import dev.colo.api.event.ProxyMiscompare;
import dev.colo.api.failover.HandOver;
import dev.colo.api.health.NodeHealth;
import dev.colo.api.health.RestartWindow;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.management.ProxyMXBean;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.jmx.ProxyMBean;
import dev.colo.api.util.Threads;
import dev.colo.proxy.internal.mina.ServiceProxy;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>A watchdog looks at the proxy every second: a hang ({@link ServiceProxy#hang}) makes the node's health FAILED and
 * the proxy is replaced by a new one (its clients reconnect), at most {@value RestartWindow#LIMIT} times in ten
 * minutes; beyond that the service stays stopped and a primary hands over to its secondary ({@link HandOver}).
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NodeHealth nodeHealth;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HandOver handOver;

    private final RestartWindow restartWindow = RestartWindow.standard();
    private ServiceSettings settings;
    private BundleContext context;
    private ScheduledExecutorService watchdog;
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
        this.context = context;
        synchronized (this) {
            start(new ServiceProxy(settings, pair.role(), services::send, services::requestCheckpoint,
                    this::miscompare, this::listening, canProtect()));
        }
        watchdog = Executors.newSingleThreadScheduledExecutor(Threads.named("colo-proxy-" + settings.name()
                + "-watchdog-"));
        watchdog.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        watchdog.shutdownNow();
        synchronized (this) {
            stop();
        }
        health(health -> health.recovered(component(), "the proxy stopped with its configuration or bundle"));
    }

    private boolean canProtect() {
        return pair.role() == Role.PRIMARY && services.canProtect(settings);
    }

    private void start(ServiceProxy started) {
        proxy = started;
        // the bean and its notifications first: they see the first bind, or its failure
        EventNotifications notifications = ProxyMBean.notifications(settings.name());
        mbean = ManagedBean.register(context, new ProxyMBean(settings, started, notifications),
                ProxyMXBean.objectName(settings.name()), notifications, ProxyMBean.eventFilter(settings.name()));
        services.register(settings.name(), started);
        started.start();
    }

    private void stop() {
        if (proxy == null) {
            return;
        }
        mbean.close();
        services.unregister(settings.name(), proxy);
        proxy.close();
        proxy = null;
    }

    /** The watchdog's look, every second on its own thread. */
    private void watch() {
        ServiceProxy watched;
        synchronized (this) {
            watched = proxy;
        }
        if (watched != null) {
            watched.hang(System.nanoTime()).ifPresent(problem -> hung(watched, problem));
        }
    }

    /**
     * Replaces the hung proxy (its clients reconnect to the new one); beyond the restart window the service stays
     * stopped and a primary hands over. The hung proxy is closed on a thread of its own: a thread stuck inside it
     * could hold up its close, and the new one's listener binds as soon as the old one lets go.
     */
    private synchronized void hung(ServiceProxy hung, String problem) {
        if (proxy != hung) {
            return;
        }
        health(health -> health.failed(component(), "hung: " + problem));
        mbean.close();
        services.unregister(settings.name(), hung);
        proxy = null;
        Threads.named("colo-proxy-" + settings.name() + "-closing-").newThread(hung::close).start();
        if (!restartWindow.allow(System.currentTimeMillis())) {
            logger.error("Proxy {}: hung ({}); restarted {} already, it stays stopped until its bundle or the node is "
                    + "restarted", settings.name(), problem, restartWindow.describe());
            HandOver primaryRole = handOver;
            if (primaryRole != null) { // its clients are gone with it: nothing held is released meanwhile
                primaryRole.request(component(), problem);
            }
            return;
        }
        logger.error("Proxy {}: hung ({}); replacing it, its clients reconnect", settings.name(), problem);
        start(hung.successor(canProtect()));
        health(health -> health.recovered(component(), "replaced after it hung"));
    }

    private String component() {
        return "proxy " + settings.name();
    }

    private void health(java.util.function.Consumer<NodeHealth> report) {
        NodeHealth health = nodeHealth;
        if (health != null) {
            report.accept(health);
        }
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
