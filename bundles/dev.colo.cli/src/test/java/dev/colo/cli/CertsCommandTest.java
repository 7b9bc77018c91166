package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {
    private static final List<String> NODES = List.of("colo-a", "colo-b");

    @Test
    void addressesArePerNode() throws Exception {
        assertEquals(Map.of("colo-a", List.of("10.0.0.1"), "colo-b", List.of("b.example.org", "fd00::2")),
                CertsCommand.addresses("colo-a=10.0.0.1, colo-b=b.example.org,colo-b=fd00::2", NODES));
        assertEquals(Map.of(), CertsCommand.addresses("", NODES));
    }

    @Test
    void aBadAddressIsRefusedNamingIt() {
        UsageException e = assertThrows(UsageException.class,
                () -> CertsCommand.addresses("colo-a=10.0.0.1,colo-c=10.0.0.3", NODES));
        assertEquals("option --addresses: 'colo-c=10.0.0.3' is not NODE=ADDRESS with NODE one of [colo-a, colo-b] and "
                + "ADDRESS an IP address or DNS name", e.getMessage());
        assertThrows(UsageException.class, () -> CertsCommand.addresses("colo-a=10.0.0.1;rm -rf", NODES));
    }

    @Test
    void eachCertificateNamesItsNodeLoopbackAndTheAddressesGiven(@TempDir Path dir) throws Exception {
        List<Pki.NodeMaterial> material = new Pki(30).create(dir.resolve("ca"),
                Map.of("colo-a", dir.resolve("colo-a"), "colo-b", dir.resolve("colo-b")),
                Map.of("colo-a", List.of("10.202.1.2", "a.example.org")));
        Map<String, Pki.NodeMaterial> byNode = material.stream()
                .collect(Collectors.toMap(Pki.NodeMaterial::nodeId, node -> node));
        assertEquals(Set.of("colo-a", "127.0.0.1", "10.202.1.2", "a.example.org"), names(byNode.get("colo-a")));
        assertEquals(Set.of("colo-b", "127.0.0.1"), names(byNode.get("colo-b")));
    }

    private static Set<String> names(Pki.NodeMaterial node) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(node.keyStore())) {
            store.load(in, node.keyStorePassword().toCharArray());
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate(store.aliases().nextElement());
        return certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1)))
                .collect(Collectors.toSet());
    }
}
