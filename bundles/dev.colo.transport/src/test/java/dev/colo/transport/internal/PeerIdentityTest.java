package dev.colo.transport.internal;

import dev.colo.testing.TestPki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.NodeId;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdentityTest {
    private static final NodeId COLO_A = new NodeId("colo-a");

    private final TestPki pki = TestPki.shared();

    @Test
    void shouldNameThePeerByItsCommonName() throws Exception {
        assertEquals(new NodeId("colo-b"), new PeerIdentity(COLO_A, Optional.empty()).verify(pki.certificate("colo-b")));
    }

    @Test
    void shouldAcceptTheMatchingPinInAnyCase() throws Exception {
        X509Certificate peer = pki.certificate("colo-b");
        String pin = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(peer.getEncoded()));
        assertEquals(pin, PeerIdentity.fingerprint(peer));
        assertEquals(new NodeId("colo-b"), new PeerIdentity(COLO_A, Optional.of(pin.toUpperCase())).verify(peer));
    }

    @Test
    void shouldRefuseAnotherFingerprint() throws Exception {
        PeerIdentity identity = new PeerIdentity(COLO_A, Optional.of("00".repeat(32)));
        CertificateException error = assertThrows(CertificateException.class,
                () -> identity.verify(pki.certificate("colo-b")));
        assertTrue(error.getMessage().contains("does not match the pinned"), error.getMessage());
    }

    @Test
    void shouldRefuseACertificateNamingOurselves() throws Exception {
        PeerIdentity identity = new PeerIdentity(COLO_A, Optional.empty());
        assertThrows(CertificateException.class, () -> identity.verify(pki.certificate("colo-a")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CN=Colo_A", "O=colo", "CN=colo-a, CN=colo-b", "CN=-colo"})
    void shouldRefuseSubjectsWithoutExactlyOneValidNodeId(String subject) {
        assertThrows(CertificateException.class, () -> PeerIdentity.nodeIdOf(new X500Principal(subject)));
    }

    @Test
    void shouldReadTheCommonNameAmongOtherAttributes() throws Exception {
        assertEquals(COLO_A, PeerIdentity.nodeIdOf(new X500Principal("CN=colo-a, OU=pair, O=example")));
    }
}
