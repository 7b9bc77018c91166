package dev.colo.nbd.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.config.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NbdExportSettingsTest {

    private static Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("name", "disk0");
        properties.put("path", "/var/lib/colo/disk0.img");
        properties.put("size.bytes", "1073741824");
        properties.put("read.only", "false");
        properties.put("bind.address", "127.0.0.1");
        properties.put("port", "10809");
        return properties;
    }

    private static InvalidConfigurationException refused(String key, Object value) {
        Map<String, Object> properties = valid();
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> NbdExportSettings.parse(properties));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("dev.colo.nbd.export"), e.getMessage());
        return e;
    }

    @Test
    void shouldParseStringsFromACfgFileAndTypedValues() {
        NbdExportSettings settings = NbdExportSettings.parse(valid());
        assertEquals(new NbdExportSettings("disk0", Path.of("/var/lib/colo/disk0.img"), 1L << 30, false,
                "127.0.0.1", 10809, TlsMode.NONE, null), settings);
        Map<String, Object> typed = valid();
        typed.put("size.bytes", 0L);
        typed.put("read.only", Boolean.TRUE);
        typed.put("port", 20000);
        typed.remove("bind.address");
        NbdExportSettings parsed = NbdExportSettings.parse(typed);
        assertTrue(parsed.readOnly());
        assertEquals(20000, parsed.port());
        assertEquals("0.0.0.0", parsed.bindAddress());
    }

    @Test
    void shouldNameTheKeyAndValueOfEveryRefusal() {
        assertEquals(ColoErrorCode.CONFIG_MISSING, refused("name", null).code());
        assertEquals(ColoErrorCode.CONFIG_MISSING, refused("path", null).code());
        assertEquals("has space", refused("name", "has space").value());
        refused("name", "a/b");
        refused("path", "relative/disk.img");
        refused("size.bytes", "-1");
        refused("size.bytes", "1G");
        refused("read.only", "yes");
        refused("port", "0");
        refused("port", "65536");
        refused("port", "http");
        refused("bind.address", "not an address");
        InvalidConfigurationException tls = refused("tls.required", "true");
        assertTrue(tls.getMessage().contains("tls.keystore.path"), tls.getMessage());
        assertEquals("true", tls.value());
    }

    @Test
    void shouldReadTlsKeyMaterialAndRequireItsPasswords() {
        Map<String, Object> properties = valid();
        properties.put("tls.keystore.path", "/etc/colo/nbd.p12");
        properties.put("tls.keystore.password", "secret");
        NbdExportSettings optional = NbdExportSettings.parse(properties);
        assertEquals(TlsMode.OPTIONAL, optional.tlsMode());
        assertFalse(optional.tls().requiresClientCertificate());
        assertFalse(optional.toString().contains("secret"), optional.toString());
        properties.put("tls.required", "true");
        properties.put("tls.truststore.path", "/etc/colo/ca.p12");
        properties.put("tls.truststore.password", "other");
        NbdExportSettings required = NbdExportSettings.parse(properties);
        assertEquals(TlsMode.REQUIRED, required.tlsMode());
        assertTrue(required.tls().requiresClientCertificate());
        properties.remove("tls.truststore.password");
        assertEquals("tls.truststore.password",
                assertThrows(InvalidConfigurationException.class, () -> NbdExportSettings.parse(properties)).key());
        properties.put("tls.keystore.path", "relative.p12");
        assertEquals("tls.keystore.path",
                assertThrows(InvalidConfigurationException.class, () -> NbdExportSettings.parse(properties)).key());
    }

    @Test
    void shouldAcceptTlsRequiredFalseAndReportUnknownKeys() {
        Map<String, Object> properties = valid();
        properties.put("tls.required", "false");
        properties.put("prot", "1");
        properties.put("service.pid", "x");
        properties.put("component.name", "y");
        assertFalse(NbdExportSettings.parse(properties).readOnly());
        assertEquals(List.of("prot"), NbdExportSettings.unknownKeys(properties));
    }
}
