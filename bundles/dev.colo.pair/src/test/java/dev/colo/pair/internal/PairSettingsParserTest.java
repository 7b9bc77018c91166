package dev.colo.pair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.Role;
import dev.colo.api.pair.PairSettings;
import dev.colo.testing.TestPki;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PairSettingsParserTest {
    private static final TestPki pki = TestPki.shared();

    private static Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("node.id", "colo-a");
        properties.put("role", "primary");
        properties.put("listen.address", "127.0.0.1");
        properties.put("listen.port", "7800");
        properties.put("peer.host", "colo-b.example.org");
        properties.put("peer.port", "7801");
        properties.put("tls.keystore.path", pki.keyStore("colo-a").toString());
        properties.put("tls.keystore.password", TestPki.PASSWORD);
        properties.put("tls.truststore.path", pki.trustStore().toString());
        properties.put("tls.truststore.password", TestPki.PASSWORD);
        properties.put("heartbeat.interval.ms", "100");
        properties.put("heartbeat.timeout.ms", "1000");
        return properties;
    }

    private static InvalidConfigurationException rejected(String key, Object value) {
        Map<String, Object> properties = valid();
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
        return assertThrows(InvalidConfigurationException.class, () -> PairSettingsParser.parse(properties));
    }

    @Test
    void shouldParseAValidConfiguration() {
        PairSettings settings = PairSettingsParser.parse(valid());

        assertEquals("colo-a", settings.nodeId().value());
        assertEquals(Role.PRIMARY, settings.role());
        assertEquals(7800, settings.listenPort());
        assertEquals("colo-b.example.org:7801", settings.peerAddress());
        assertEquals(100, settings.heartbeatIntervalMs());
        assertEquals(1000, settings.heartbeatTimeoutMs());
        assertEquals(16 * 1024 * 1024, settings.maxFrameBytes());
        assertTrue(settings.tls().peerFingerprint().isEmpty());
    }

    @Test
    void shouldAcceptNumbersGivenThroughConfigAdmin() {
        Map<String, Object> properties = valid();
        properties.put("peer.port", 7802);
        properties.put("heartbeat.timeout.ms", 2000L);

        PairSettings settings = PairSettingsParser.parse(properties);

        assertEquals(7802, settings.peerPort());
        assertEquals(2000, settings.heartbeatTimeoutMs());
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource({
            "node.id, Colo_A",
            "node.id, -colo",
            "role, leader",
            "listen.address, 300.1.1.1",
            "listen.port, 0",
            "listen.port, 65536",
            "listen.port, 7800x",
            "peer.host, 'bad host'",
            "peer.host, host_with_underscore",
            "peer.port, eighty",
            "peer.port, -1",
            "heartbeat.interval.ms, 5",
            "heartbeat.interval.ms, 1.5",
            "heartbeat.timeout.ms, 200",
            "link.max.frame.bytes, 100",
            "link.max.frame.bytes, 1048576",
            "link.reconnect.max.ms, 50",
            "tls.peer.fingerprint.sha256, abcd",
            "tls.keystore.path, /nonexistent/node.p12",
    })
    void shouldRejectABadValueNamingKeyAndValue(String key, String value) {
        InvalidConfigurationException e = rejected(key, value);

        assertEquals(ColoErrorCode.CONFIG_INVALID, e.code());
        assertEquals(key, e.key());
        assertEquals(value, e.value());
        assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains(value), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"node.id", "role", "peer.host", "tls.keystore.path", "tls.keystore.password",
            "tls.truststore.path", "tls.truststore.password"})
    void shouldRejectAMissingRequiredKey(String key) {
        InvalidConfigurationException e = rejected(key, null);

        assertEquals(ColoErrorCode.CONFIG_MISSING, e.code());
        assertEquals(key, e.key());
    }

    @Test
    void shouldRejectAWrongPasswordWithoutShowingIt() {
        InvalidConfigurationException e = rejected("tls.keystore.password", "wrong-password");

        assertEquals("tls.keystore.password", e.key());
        assertTrue(!e.getMessage().contains("wrong-password"), e.getMessage());
    }

    @Test
    void shouldRejectACertificateIssuedToAnotherNode() {
        InvalidConfigurationException e = rejected("node.id", "colo-b");

        assertEquals("tls.keystore.path", e.key());
        assertTrue(e.getMessage().contains("CN=colo-a"), e.getMessage());
    }

    @Test
    void shouldRejectATrustStoreWithoutCertificates() {
        InvalidConfigurationException e = rejected("tls.truststore.path", pki.caKeyStore(TestPki.PAIR_CA).toString());

        assertEquals("tls.truststore.path", e.key());
        assertTrue(e.getMessage().contains("no trusted certificate"), e.getMessage());
    }

    @Test
    void shouldTrustThroughAPinnedFingerprintAloneWhenNoTrustStoreIsGiven() {
        Map<String, Object> properties = valid();
        properties.remove("tls.truststore.path");
        properties.remove("tls.truststore.password");
        properties.put("tls.peer.fingerprint.sha256", "ab".repeat(32));

        PairSettings settings = PairSettingsParser.parse(properties);

        assertTrue(settings.tls().trustStore().isEmpty());
        assertEquals("ab".repeat(32), settings.tls().peerFingerprint().orElseThrow());
    }

    @Test
    void shouldAskForATrustStoreOrAPinWhenNeitherIsGiven() {
        InvalidConfigurationException e = rejected("tls.truststore.path", null);

        assertEquals(ColoErrorCode.CONFIG_MISSING, e.code());
        assertTrue(e.getMessage().contains("tls.peer.fingerprint.sha256"), e.getMessage());
    }

    @Test
    void shouldRejectAKeyStoreWithoutExactlyOneKey() {
        InvalidConfigurationException e = rejected("tls.keystore.path", pki.trustStore().toString());

        assertEquals("tls.keystore.path", e.key());
        assertTrue(e.getMessage().contains("exactly one private key, holds 0"), e.getMessage());
    }

    @Test
    void shouldNormaliseAPinnedFingerprint() {
        Map<String, Object> properties = valid();
        properties.put("tls.peer.fingerprint.sha256", "AB:".repeat(31) + "AB");

        PairSettings settings = PairSettingsParser.parse(properties);

        assertEquals("ab".repeat(32), settings.tls().peerFingerprint().orElseThrow());
    }

    @Test
    void shouldAcceptIpv6AndDnsNames() {
        for (String host : List.of("::1", "[fe80::1]", "localhost", "colo-b", "colo-b.example.org.")) {
            Map<String, Object> properties = valid();
            properties.put("peer.host", host);
            assertEquals(host, PairSettingsParser.parse(properties).peerHost());
        }
    }

    @Test
    void shouldReportUnknownKeysButNotFrameworkOnes() {
        Map<String, Object> properties = valid();
        properties.put("heartbeat.intervall.ms", "50");
        properties.put("service.pid", "dev.colo.pair");
        properties.put("felix.fileinstall.filename", "file:/etc/dev.colo.pair.cfg");

        assertEquals(List.of("heartbeat.intervall.ms"), PairSettingsParser.unknownKeys(properties));
    }
}
