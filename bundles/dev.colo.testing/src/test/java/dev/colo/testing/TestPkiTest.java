package dev.colo.testing;


import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TestPkiTest {
    @Test
    void shouldMakeNodeCertificatesSignedByTheirCa() throws Exception {
        TestPki pki = TestPki.shared();
        assertEquals("CN=colo-a", pki.certificate("colo-a").getSubjectX500Principal().getName());
        assertEquals("CN=" + TestPki.PAIR_CA, pki.certificate("colo-b").getIssuerX500Principal().getName());
        assertEquals("CN=" + TestPki.ROGUE_CA, pki.certificate("colo-x").getIssuerX500Principal().getName());
        assertEquals(2, TestPki.load(pki.keyStore("colo-a")).getCertificateChain("node").length);
    }
}
