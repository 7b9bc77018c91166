package dev.colo.mqtt.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.config.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttSettingsTest {
    @Test
    void withoutBrokersThePublisherIsOffAndEveryKeyHasADefault() {
        MqttSettings settings = MqttSettings.parse(Map.of());
        assertFalse(settings.enabled());
        assertEquals("colo/v1", settings.topicPrefix());
        assertEquals(10_000, settings.backlogMaxEvents());
    }

    @Test
    void brokersAreTriedInOrderAndPlaintextOnesElsewhereAreNamed() {
        MqttSettings settings = MqttSettings.parse(Map.of(MqttSettings.BROKER_URLS,
                "ssl://mq1.example:8883, tcp://127.0.0.1:1883,tcp://mq2.example:1883"));
        assertEquals(List.of("ssl://mq1.example:8883", "tcp://127.0.0.1:1883", "tcp://mq2.example:1883"),
                settings.brokerUrls());
        assertTrue(settings.tls());
        assertEquals(List.of("tcp://mq2.example:1883"), settings.plaintextRemoteBrokers());
    }

    @Test
    void aBadValueIsRefusedNamingItsKey() {
        assertRefused(Map.of(MqttSettings.BROKER_URLS, "http://mq:80"), MqttSettings.BROKER_URLS, "tcp:// or ssl://");
        assertRefused(Map.of(MqttSettings.BROKER_URLS, "tcp://mq"), MqttSettings.BROKER_URLS, "host:port");
        assertRefused(Map.of(MqttSettings.TOPIC_PREFIX, "colo/#"), MqttSettings.TOPIC_PREFIX, "wildcards");
        assertRefused(Map.of(MqttSettings.CLIENT_ID, "a b"), MqttSettings.CLIENT_ID, "letters");
        assertRefused(Map.of(MqttSettings.PASSWORD, "pw"), MqttSettings.PASSWORD, "username");
        assertRefused(Map.of(MqttSettings.BACKLOG_MAX_EVENTS, "0"), MqttSettings.BACKLOG_MAX_EVENTS, "between");
        assertRefused(Map.of(MqttSettings.TRUSTSTORE_PATH, "trust.p12"), MqttSettings.TRUSTSTORE_PATH, "absolute");
    }

    private static void assertRefused(Map<String, String> config, String key, String reason) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> MqttSettings.parse(config));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(reason), e.getMessage());
    }
}
