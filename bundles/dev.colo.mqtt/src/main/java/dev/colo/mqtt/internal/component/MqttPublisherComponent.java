package dev.colo.mqtt.internal.component;

import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.management.MqttMXBean;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.transport.PeerLink;
import dev.colo.mqtt.internal.backlog.Backlog;
import dev.colo.mqtt.internal.client.Publisher;
import dev.colo.mqtt.internal.client.TlsSockets;
import dev.colo.mqtt.internal.config.MqttConfig;
import dev.colo.mqtt.internal.config.MqttSettings;
import dev.colo.mqtt.internal.message.Envelopes;
import dev.colo.mqtt.internal.message.EventMapping;
import dev.colo.mqtt.internal.message.Outbound;
import dev.colo.mqtt.internal.message.Publication;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;
import javax.net.SocketFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's status, state and events to MQTT (configuration {@value MqttSettings#PID}; without broker
 * URLs it is off). It only listens: to the appliance's OSGi events, and to services for the snapshots at start, so
 * removing this bundle changes nothing else. It outlives the pair configuration's restarts (a failover changes the
 * role) and starts publishing once it knows the node's id.
 */
@Component(configurationPid = MqttSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + ColoTopics.ALL, immediate = true)
@Designate(ocd = MqttConfig.class)
public final class MqttPublisherComponent implements EventHandler {
    private static final Logger logger = LoggerFactory.getLogger(MqttPublisherComponent.class);
    /** Events that arrive before the node's id is known (the pair configuration starting), at most this many. */
    private static final int EARLY_EVENTS = 1_000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HeartbeatMonitor heartbeat;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PeerLink link;

    private final List<ProtectedDisk> disks = new CopyOnWriteArrayList<>();
    private final List<Event> early = new ArrayList<>();

    private BundleContext context;
    private MqttSettings settings;
    private ManagedBean mbean;
    private volatile PairSettings pair;
    private volatile MqttMBean.Parts parts = new MqttMBean.Parts(null, null, null, "");

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws NotCompliantMBeanException {
        this.context = context;
        settings = ComponentConfiguration.parse(logger, properties, MqttSettings::parse, MqttSettings::unknownKeys,
                parsed -> MqttSettings.PID, "the MQTT publisher");
        if (!settings.enabled()) {
            parts = new MqttMBean.Parts(null, null, null, MqttSettings.BROKER_URLS + " is empty: nothing is published");
            logger.info("MQTT publisher off: {} in {}.cfg is empty", MqttSettings.BROKER_URLS, MqttSettings.PID);
        } else if (!settings.plaintextRemoteBrokers().isEmpty()) {
            logger.warn("MQTT WITHOUT TLS to {}: status and events cross the network in clear text and can be forged;"
                    + " use ssl:// URLs", settings.plaintextRemoteBrokers());
        }
        mbean = ManagedBean.register(context, new StandardMBean(new MqttMBean(() -> parts), MqttMXBean.class, true),
                MqttMXBean.OBJECT_NAME);
        startWhenReady();
    }

    @Deactivate
    void deactivate() {
        mbean.close();
        Publisher publisher = parts.publisher();
        if (publisher != null) {
            publisher.close();
        }
    }

    /** Optional and dynamic: the pair configuration restarts with the role, the publisher must not. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPairConfiguration(PairConfiguration configuration) {
        pair = configuration.settings();
        startWhenReady();
    }

    void unbindPairConfiguration(PairConfiguration configuration) {
        // the last settings stay: the node's id does not change, its role comes back with the next ones
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDisk(ProtectedDisk disk) {
        disks.add(disk);
        Envelopes envelopes = parts.envelopes();
        if (envelopes != null) {
            publishState(List.of(envelopes.state(diskPath(disk.name()), "replication.state", diskData(disk))));
        }
    }

    void unbindDisk(ProtectedDisk disk) {
        disks.remove(disk);
        Envelopes envelopes = parts.envelopes();
        if (envelopes != null && disks.stream().noneMatch(other -> other.name().equals(disk.name()))) {
            publishState(List.of(envelopes.removed(diskPath(disk.name()))));
        }
    }

    @Override
    public void handleEvent(Event event) {
        Envelopes envelopes;
        synchronized (early) {
            envelopes = parts.envelopes();
            if (envelopes == null) {
                if (settings != null && settings.enabled() && early.size() < EARLY_EVENTS) {
                    early.add(event);
                }
                return;
            }
        }
        publish(envelopes, event);
    }

    private void publish(Envelopes envelopes, Event event) {
        Map<String, Object> properties = new HashMap<>();
        for (String name : event.getPropertyNames()) {
            properties.put(name, event.getProperty(name));
        }
        List<Outbound> events = new ArrayList<>();
        List<Outbound> snapshots = new ArrayList<>();
        for (Publication publication : EventMapping.map(event.getTopic(), properties)) {
            (publication.kind() == Publication.Kind.EVENT ? events : snapshots).add(envelopes.of(publication,
                    properties));
        }
        try {
            parts.publisher().submit(events, snapshots);
        } catch (IOException e) {
            logger.error("MQTT: cannot keep the event {} in the backlog: {}", event.getTopic(), e.toString());
        }
    }

    /** Starts the publisher once both the configuration and the node's id are known. */
    private synchronized void startWhenReady() {
        PairSettings knownPair = pair;
        if (context == null || settings == null || !settings.enabled() || knownPair == null
                || parts.publisher() != null) {
            return;
        }
        try {
            String node = knownPair.nodeId().value();
            Envelopes envelopes = new Envelopes(settings.topicPrefix(), node,
                    SessionCounter.next(context.getDataFile("session").toPath()), this::role, Clock.systemUTC());
            Backlog backlog = Backlog.open(context.getDataFile("backlog").toPath(), settings.backlogMaxEvents());
            MqttSettings.TrustStore trust = trustStore(knownPair);
            if (settings.tls() && trust == null) {
                throw new IOException(MqttSettings.BROKER_URLS + " has an ssl:// broker but " + MqttSettings.PID + " sets"
                        + " no " + MqttSettings.TRUSTSTORE_PATH + " and the pair configuration no trust store");
            }
            SocketFactory sockets = settings.tls() ? TlsSockets.trusting(trust) : null;
            String clientId = settings.clientId().isEmpty() ? "colo-" + node : settings.clientId();
            Publisher publisher = new Publisher(settings, clientId, envelopes, backlog, sockets,
                    trust == null ? "(none)" : trust.path().toString());
            synchronized (early) {
                parts = new MqttMBean.Parts(publisher, envelopes, backlog, "");
                publisher.submit(List.of(), initialSnapshots(envelopes));
                early.forEach(event -> publish(envelopes, event));
                early.clear();
            }
            publisher.start();
            logger.info("MQTT publisher: node {} session {}, brokers {}, {} events kept from before", node,
                    envelopes.session(), settings.brokerUrls(), backlog.size());
        } catch (IOException | RuntimeException e) {
            parts = new MqttMBean.Parts(null, null, null, e.getMessage());
            logger.error("MQTT publisher not started: {}", e.getMessage());
        }
    }

    private String role() {
        PairSettings known = pair;
        return known == null ? "unknown" : known.role().configValue();
    }

    /** The configured trust store, else the pair's (the appliance's trust material); null when neither is set. */
    private MqttSettings.TrustStore trustStore(PairSettings pairSettings) {
        return settings.trustStore().orElseGet(() -> pairSettings.tls().trustStore()
                .map(store -> new MqttSettings.TrustStore(store.path(), store.password().toCharArray()))
                .orElse(null));
    }

    /** What the node is at start: peer health, link state and each disk's stage, as retained snapshots. */
    private List<Outbound> initialSnapshots(Envelopes envelopes) {
        List<Outbound> snapshots = new ArrayList<>();
        HeartbeatMonitor monitor = heartbeat;
        if (monitor != null) {
            snapshots.add(envelopes.state("state/peer", "peer.state", Map.of(EventProperties.CURRENT,
                    monitor.health().name())));
        }
        PeerLink peerLink = link;
        if (peerLink != null) {
            snapshots.add(envelopes.state("state/link", "link.state", Map.of(EventProperties.CURRENT,
                    peerLink.state().name())));
        }
        for (ProtectedDisk disk : disks) {
            snapshots.add(envelopes.state(diskPath(disk.name()), "replication.state", diskData(disk)));
        }
        return snapshots;
    }

    private void publishState(List<Outbound> snapshots) {
        Publisher publisher = parts.publisher();
        if (publisher == null) {
            return;
        }
        try {
            publisher.submit(List.of(), snapshots);
        } catch (IOException e) {
            logger.error("MQTT: {}", e.toString()); // snapshots are not written to disk: not reached
        }
    }


    private static String diskPath(String disk) {
        return "state/replication/" + EventMapping.level(disk);
    }

    private static Map<String, Object> diskData(ProtectedDisk disk) {
        return Map.of(EventProperties.DISK, disk.name(), EventProperties.CURRENT, disk.stage().name(),
                EventProperties.EPOCH, disk.epoch());
    }
}
