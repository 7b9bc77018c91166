package dev.colo.pair.internal;

import dev.colo.api.NodeId;
import dev.colo.api.Role;
import dev.colo.api.config.ConfigReader;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.ConfigurationRejected;
import dev.colo.api.event.EventSource;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairKeys;
import dev.colo.api.pair.PairSettings;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the pair configuration once and, only if every key is valid, offers it as a
 * {@link PairConfiguration} service. A refused configuration leaves this component — and so everything
 * that needs the pair settings — inactive, is logged, and is posted as a {@link ConfigurationRejected} event.
 * No {@code @Modified}: a changed configuration re-creates the component and its dependants.
 *
 * <p>The service is registered by hand after validation, not declared to SCR: SCR registers a declared
 * service before it constructs the component and keeps it registered when construction fails, so
 * consumers would see a PairConfiguration for an invalid configuration.
 */
@Component(configurationPid = PairConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = PairConfig.class)
@Capability(namespace = "osgi.service", uses = PairConfiguration.class,
        attribute = "objectClass:List<String>=\"dev.colo.api.pair.PairConfiguration\"")
public final class PairConfigurationComponent {
    private static final Logger logger = LoggerFactory.getLogger(PairConfigurationComponent.class);

    private final PairSettings settings;
    private final ServiceRegistration<PairConfiguration> registration;

    @Activate
    public PairConfigurationComponent(BundleContext context, Map<String, Object> properties,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            EventAdmin eventAdmin) {
        try {
            this.settings = PairSettingsParser.parse(properties);
        } catch (InvalidConfigurationException e) {
            logger.error("{} — the pair stays inactive until this is corrected", e.getMessage());
            ColoEvents.post(eventAdmin, rejection(properties, e));
            throw e;
        }
        List<String> unknown = PairSettingsParser.unknownKeys(properties);
        if (!unknown.isEmpty()) {
            logger.warn("Configuration {}: ignoring unknown keys {} (misspelt?)", PairConfiguration.PID, unknown);
        }
        logger.info("Pair configuration active: node {} as {}, listening on {}:{}, peer {}, heartbeat {} ms, "
                        + "timeout {} ms, {}", settings.nodeId(), settings.role().configValue(),
                settings.listenAddress(), settings.listenPort(), settings.peerAddress(),
                settings.heartbeatIntervalMs(), settings.heartbeatTimeoutMs(), settings.tls());
        this.registration = context.registerService(PairConfiguration.class, new ValidPairConfiguration(settings),
                FrameworkUtil.asDictionary(Map.of("node.id", settings.nodeId().value(),
                        "role", settings.role().configValue())));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    /** The service object: immutable, validated settings. */
    private record ValidPairConfiguration(PairSettings settings) implements PairConfiguration {
    }

    /** The event names whatever of node and role was valid, so that alerting can tell which node it was. */
    private static ConfigurationRejected rejection(Map<String, Object> properties, InvalidConfigurationException e) {
        ConfigReader raw = new ConfigReader(PairConfiguration.PID, properties);
        EventSource source = EventSource.now(validOr(raw.text(PairKeys.NODE_ID)), roleOrNull(raw));
        return new ConfigurationRejected(source, PairConfiguration.PID, e.key(), e.value(), e.code(),
                e.getMessage());
    }

    private static String validOr(String nodeId) {
        try {
            return new NodeId(nodeId).value();
        } catch (IllegalArgumentException e) {
            return EventSource.UNKNOWN_NODE;
        }
    }

    private static Role roleOrNull(ConfigReader raw) {
        try {
            return Role.parse(raw.text(PairKeys.ROLE));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
