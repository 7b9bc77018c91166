package dev.colo.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.NodeId;
import dev.colo.api.Role;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.pair.TlsSettings;
import dev.colo.api.transport.PeerTls;
import dev.colo.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Handshakes between plain JSSE sockets over {@link PeerTls} contexts of TestPki nodes. */
class PeerTlsComponentTest {
    private static TestPki pki;

    @BeforeAll
    static void makeKeys() {
        pki = TestPki.shared();
    }

    @Test
    void shouldOfferTls13Only() {
        PeerTls tls = peerTls("colo-a");
        assertArrayEquals(new String[] {"TLSv1.3"}, tls.protocols());
        tls.protocols()[0] = "changed";
        assertEquals("TLSv1.3", tls.protocols()[0], "a new array on every call");
    }

    @Test
    void shouldAuthenticateBothNodesOfThePair() throws Exception {
        String seen = handshake(peerTls("colo-a"), peerTls("colo-b")).get(10, TimeUnit.SECONDS);
        assertEquals("CN=colo-b", seen, "the server saw the client's certificate");
    }

    @Test
    void shouldRefuseACertificateFromAnotherCa() {
        // colo-x's context trusts the pair CA too, so only colo-a's check of colo-x can fail
        PeerTls rogue = new PeerTlsComponent(configuration(settings("colo-x", pki.keyStore("colo-x"))));
        assertRefused(peerTls("colo-a"), rogue);
    }

    @Test
    void shouldRefuseAPeerClaimingOurOwnNodeId() {
        assertRefused(peerTls("colo-a"), peerTls("colo-a"));
    }

    private static void assertRefused(PeerTls server, PeerTls client) {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> handshake(server, client).get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IOException, failure.getCause().toString());
    }

    /**
     * One connection: the server requires a client certificate, reads one byte and answers the subject of
     * the client's certificate; completes exceptionally when either side fails.
     */
    private static CompletableFuture<String> handshake(PeerTls server, PeerTls client) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) server.context().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(server.protocols());
        listener.setNeedClientAuth(true);
        CompletableFuture<String> accepted = CompletableFuture.supplyAsync(() -> {
            try (listener; SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                socket.getOutputStream().write(1);
                return peer.getSubjectX500Principal().getName();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CompletableFuture<String> dialed = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket socket = (SSLSocket) client.context().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.setEnabledProtocols(client.protocols());
                socket.startHandshake();
                // TLS 1.3: the server's verdict on our certificate arrives with the first read
                if (socket.getInputStream().read() != 1) {
                    throw new IOException("connection closed by the server");
                }
                return "";
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return accepted.thenCombine(dialed, (subject, ignored) -> subject).handle((subject, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() instanceof java.io.UncheckedIOException unchecked
                        ? unchecked.getCause() : error;
                throw new java.util.concurrent.CompletionException(cause);
            }
            return subject;
        });
    }

    private static PeerTls peerTls(String node) {
        return new PeerTlsComponent(configuration(settings(node, pki.keyStore(node))));
    }

    private static PairConfiguration configuration(PairSettings settings) {
        return () -> settings;
    }

    private static PairSettings settings(String node, java.nio.file.Path keyStore) {
        TlsSettings tls = new TlsSettings(keyStore, TestPki.PASSWORD,
                Optional.of(new TlsSettings.TrustStore(pki.trustStore(), TestPki.PASSWORD)), Optional.empty());
        return new PairSettings(new NodeId(node), Role.PRIMARY, "127.0.0.1", 1, "127.0.0.1", 2, tls, 100, 1_000,
                4 * 1024 * 1024, 50, 400);
    }
}
