package dev.colo.mqtt.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@link MqttSettings}. */
@ObjectClassDefinition(id = MqttSettings.PID, name = "COLO events over MQTT",
        description = "The broker(s) this node publishes its status, state and events to")
public @interface MqttConfig {
    @AttributeDefinition(description = "Broker URLs, tried in order: tcp://host:port or ssl://host:port, "
            + "comma-separated; empty: the publisher is off")
    String broker_urls() default "";

    @AttributeDefinition(description = "MQTT client id; empty: colo-<node.id>")
    String client_id() default "";

    @AttributeDefinition(description = "User name at the broker; empty: none")
    String username() default "";

    @AttributeDefinition(description = "Its password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(description = "PKCS#12 trust store for ssl:// brokers; empty: the pair's (tls.truststore.path "
            + "of dev.colo.pair)")
    String tls_truststore_path() default "";

    @AttributeDefinition(description = "Its password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String tls_truststore_password() default "";

    @AttributeDefinition(description = "First level(s) of every topic")
    String topic_prefix() default MqttSettings.DEFAULT_TOPIC_PREFIX;

    @AttributeDefinition(description = "Events kept on disk while the broker is away; beyond, the oldest is dropped "
            + "and counted", min = "1")
    int backlog_max_events() default MqttSettings.DEFAULT_BACKLOG_MAX_EVENTS;

    @AttributeDefinition(description = "MQTT keep-alive (s): the broker declares the node lost after 1.5 times this",
            min = "1")
    int keepalive_seconds() default MqttSettings.DEFAULT_KEEPALIVE_SECONDS;

    @AttributeDefinition(description = "Longest wait between two connection attempts (ms)", min = "100")
    long reconnect_max_ms() default MqttSettings.DEFAULT_RECONNECT_MAX_MS;
}
