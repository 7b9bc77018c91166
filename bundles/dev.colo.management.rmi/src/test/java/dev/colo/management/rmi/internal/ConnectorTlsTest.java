package dev.colo.management.rmi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorTlsTest {
    private static final String SECURED = "secured = true\nkeyStore = colo.node\nkeyAlias = node\ntrustStore = colo.trust\n";
    private final TestPki pki = TestPki.shared();

    @TempDir
    Path etc;

    @Test
    void servesTheNodesPeerLinkStoresUnderTheNamesKarafAsksFor() throws IOException {
        Files.copy(pki.keyStore("colo-a"), etc.resolve("node.p12"));
        management(SECURED);
        pair("tls.keystore.path = ${karaf.etc}/node.p12\ntls.keystore.password = " + TestPki.PASSWORD
                + "\ntls.truststore.path = " + pki.trustStore() + "\ntls.truststore.password = " + TestPki.PASSWORD);

        ConnectorTls tls = ConnectorTls.in(etc, Map.of("karaf.etc", etc.toString())::get).orElseThrow();

        assertEquals(new ConnectorTls.Store("colo.node", etc.resolve("node.p12"), TestPki.PASSWORD), tls.keyStore());
        assertEquals(new ConnectorTls.Store("colo.trust", pki.trustStore(), TestPki.PASSWORD), tls.trustStore());
        assertEquals("node", tls.keyAlias());
    }

    @Test
    void hasNothingToServeWhenTheConnectorIsNotSecured() throws IOException {
        management("secured = false\n");
        assertEquals(Optional.empty(), ConnectorTls.in(etc, key -> null));
        management("rmiRegistryPort = 1099\n");
        assertEquals(Optional.empty(), ConnectorTls.in(etc, key -> null), "Karaf's default is plain");
    }

    @Test
    void namesTheKeyOfWhatIsMissingOrWrong() throws IOException {
        management(SECURED);
        assertTrue(failure().contains("dev.colo.pair.cfg"), failure());

        pair("tls.keystore.path = " + pki.keyStore("colo-a") + "\ntls.keystore.password =\n");
        assertTrue(failure().contains("tls.keystore.password is empty"), failure());

        pair("tls.keystore.path = " + pki.keyStore("colo-a") + "\ntls.keystore.password = wrong\n");
        assertTrue(failure().contains("tls.keystore.path = " + pki.keyStore("colo-a")), failure());
        assertTrue(failure().contains("with tls.keystore.password"), failure());

        pair("tls.keystore.path = ${no.such.property}/node.p12\ntls.keystore.password = x\n");
        assertTrue(failure().contains("${no.such.property} is not set"), failure());
    }

    @Test
    void refusesAKeyAliasTheKeyStoreDoesNotHave() throws IOException {
        management(SECURED.replace("keyAlias = node", "keyAlias = karaf"));
        pair("tls.keystore.path = " + pki.keyStore("colo-a") + "\ntls.keystore.password = " + TestPki.PASSWORD
                + "\ntls.truststore.path = " + pki.trustStore() + "\ntls.truststore.password = " + TestPki.PASSWORD);
        assertTrue(failure().contains("keyAlias = 'karaf' names no key"), failure());
    }

    private String failure() {
        return assertThrows(IOException.class, () -> ConnectorTls.in(etc, key -> null)).getMessage();
    }

    private void management(String text) throws IOException {
        Files.writeString(etc.resolve(RegistryAddress.FILE), text);
    }

    private void pair(String text) throws IOException {
        Files.writeString(etc.resolve(ConnectorTls.PAIR_FILE), text);
    }
}
