package dev.colo.proxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.config.InvalidConfigurationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSettingsTest {

    private static Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ServiceSettings.NAME, "redis");
        properties.put(ServiceSettings.LISTEN_PORT, "6380");
        properties.put(ServiceSettings.GUEST_PORT, "6379");
        return properties;
    }

    @Test
    void shouldApplyDefaults() {
        ServiceSettings settings = ServiceSettings.parse(valid());
        assertEquals(ServiceSettings.Protocol.TCP, settings.protocol());
        assertEquals("0.0.0.0", settings.listenAddress());
        assertEquals("127.0.0.1", settings.guestHost());
        assertEquals(500, settings.compareTimeoutMillis());
        assertEquals(16L << 20, settings.maxHeldBytes());
        assertEquals(ServiceSettings.AtBound.PAUSE, settings.atBound());
        assertEquals(30_000, settings.watchdogTimeoutMillis());
        assertEquals(List.of(), ServiceSettings.unknownKeys(valid()));
        Map<String, Object> udp = valid();
        udp.put(ServiceSettings.PROTOCOL, "udp");
        assertEquals(ServiceSettings.AtBound.CHECKPOINT, ServiceSettings.parse(udp).atBound());
    }

    @Test
    void shouldNameTheKeyAndValueOfEveryBadSetting() {
        for (String[] bad : new String[][] {
                {ServiceSettings.NAME, "my service"}, {ServiceSettings.PROTOCOL, "sctp"},
                {ServiceSettings.LISTEN_PORT, "70000"}, {ServiceSettings.GUEST_PORT, "http"},
                {ServiceSettings.COMPARE_TIMEOUT_MS, "0"}, {ServiceSettings.MAX_HELD_BYTES, "10"},
                {ServiceSettings.AT_BOUND, "drop"}, {ServiceSettings.GUEST_HOST, "bad host"},
                {ServiceSettings.WATCHDOG_TIMEOUT_MS, "999"}}) {
            Map<String, Object> properties = valid();
            properties.put(bad[0], bad[1]);
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> ServiceSettings.parse(properties));
            assertTrue(e.getMessage().contains("'" + bad[0] + "'") && e.getMessage().contains(bad[1]), e.getMessage());
        }
        Map<String, Object> noPort = valid();
        noPort.remove(ServiceSettings.LISTEN_PORT);
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> ServiceSettings.parse(noPort))
                .getMessage().contains(ServiceSettings.LISTEN_PORT));
        Map<String, Object> udpPause = valid();
        udpPause.put(ServiceSettings.PROTOCOL, "udp");
        udpPause.put(ServiceSettings.AT_BOUND, "pause");
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> ServiceSettings.parse(udpPause))
                .getMessage().contains("loses its datagrams"));
        Map<String, Object> drop = valid();
        drop.put(ServiceSettings.AT_BOUND, "drop");
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> ServiceSettings.parse(drop))
                .getMessage().contains("[checkpoint, pause]"), "never a silent drop: the accepted values are named");
    }

    @Test
    void theWatchdogWaitsLongerThanHeldOutputWaitsForItsCheckpoint() {
        Map<String, Object> slowCompare = valid();
        slowCompare.put(ServiceSettings.COMPARE_TIMEOUT_MS, "5000");
        assertEquals(50_000, ServiceSettings.parse(slowCompare).watchdogTimeoutMillis(), "ten compare timeouts");
        slowCompare.put(ServiceSettings.WATCHDOG_TIMEOUT_MS, "5000");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ServiceSettings.parse(slowCompare));
        assertTrue(e.getMessage().contains("'" + ServiceSettings.WATCHDOG_TIMEOUT_MS + "'")
                && e.getMessage().contains("must exceed compare.timeout.ms (5000)"), e.getMessage());
    }
}
