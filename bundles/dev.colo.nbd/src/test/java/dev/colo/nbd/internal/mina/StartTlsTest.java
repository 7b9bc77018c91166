package dev.colo.nbd.internal.mina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.internal.server.NbdTlsSettings;
import dev.colo.nbd.internal.server.TlsMode;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import dev.colo.nbd.protocol.TransmissionWire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NBD_OPT_STARTTLS: the ACK in clear text, then TLS 1.3, then the rest of the handshake inside TLS. */
class StartTlsTest {
    private static final int C_FLAGS = NbdConstants.FLAG_C_FIXED_NEWSTYLE | NbdConstants.FLAG_C_NO_ZEROES;

    @TempDir
    static Path keys;
    static Path keyStore;

    @BeforeAll
    static void createKeyStore() throws Exception {
        keyStore = TlsServers.keyStore(keys);
    }

    /** Test only: trusts whatever the server presents. */
    private static SSLContext trustingClient() throws Exception {
        return trustingClient(null);
    }

    /** Test only: trusts whatever the server presents; presents the first key of {@code clientKeys}, if any. */
    private static SSLContext trustingClient(Path clientKeys) throws Exception {
        javax.net.ssl.KeyManager[] keyManagers = null;
        if (clientKeys != null) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(clientKeys)) {
                store.load(in, TlsServers.PASSWORD.toCharArray());
            }
            javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory
                    .getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, TlsServers.PASSWORD.toCharArray());
            keyManagers = factory.getKeyManagers();
        }
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers, new TrustManager[] {trustAll}, null);
        return context;
    }

    static NbdServer server(Path dir, TlsMode mode) throws Exception {
        return TlsServers.server(dir, keyStore, mode);
    }

    @Test
    void shouldRequireTlsThenServeInsideIt(@TempDir Path dir) throws Exception {
        try (NbdServer server = server(dir, TlsMode.REQUIRED)) {
            int port = server.start().getPort();
            try (RawNbdClient client = new RawNbdClient(port)) {
                client.handshake(C_FLAGS);
                client.sendOption(NbdOption.GO, RawNbdClient.infoData("secure"));
                assertEquals(NbdOptionReply.ERR_TLS_REQD, client.readReply().replyType());
                client.sendOption(NbdOption.LIST, new byte[0]);
                assertEquals(NbdOptionReply.ERR_TLS_REQD, client.readReply().replyType());
                client.sendOption(NbdOption.STARTTLS, new byte[0]);
                RawNbdClient.Reply ack = client.readReply();
                assertEquals(NbdOptionReply.ACK, ack.replyType());

                Socket plain = client.socket();
                SSLSocket tls = (SSLSocket) trustingClient().getSocketFactory().createSocket(plain, "127.0.0.1", port,
                        true);
                tls.setSoTimeout(10_000);
                tls.startHandshake();
                assertEquals("TLSv1.3", tls.getSession().getProtocol());
                DataOutputStream out = new DataOutputStream(tls.getOutputStream());
                DataInputStream in = new DataInputStream(tls.getInputStream());
                byte[] go = RawNbdClient.infoData("secure");
                out.writeLong(NbdConstants.IHAVEOPT);
                out.writeInt(NbdOption.GO.wireValue());
                out.writeInt(go.length);
                out.write(go);
                out.flush();
                int type;
                do {
                    assertEquals(NbdConstants.OPTION_REPLY_MAGIC, in.readLong());
                    in.readInt();
                    type = in.readInt();
                    in.readFully(new byte[in.readInt()]);
                } while (type == NbdOptionReply.INFO.wireValue());
                assertEquals(NbdOptionReply.ACK.wireValue(), type);

                out.write(TransmissionWire.encodeRequestHeader(0, NbdCommand.WRITE.wireValue(), 1, 10, 3).array());
                out.write(new byte[] {7, 8, 9});
                out.write(TransmissionWire.encodeRequestHeader(0, NbdCommand.FLUSH.wireValue(), 2, 0, 0).array());
                out.flush();
                for (int i = 0; i < 2; i++) {
                    assertEquals(NbdConstants.SIMPLE_REPLY_MAGIC, in.readInt());
                    assertEquals(0, in.readInt());
                    in.readLong();
                }
                out.write(TransmissionWire.encodeRequestHeader(0, NbdCommand.READ.wireValue(), 3, 10, 3).array());
                out.flush();
                assertEquals(NbdConstants.SIMPLE_REPLY_MAGIC, in.readInt());
                assertEquals(0, in.readInt());
                assertEquals(3, in.readLong());
                byte[] data = new byte[3];
                in.readFully(data);
                assertArrayEquals(new byte[] {7, 8, 9}, data);
            }
        }
    }

    @Test
    void shouldLetClientsStayInClearTextWhenTlsIsOptional(@TempDir Path dir) throws Exception {
        try (NbdServer server = server(dir, TlsMode.OPTIONAL)) {
            try (RawNbdClient client = new RawNbdClient(server.start().getPort())) {
                client.go("secure");
            }
        }
    }

    @Test
    void shouldCloseOnExportNameBeforeRequiredTls(@TempDir Path dir) throws Exception {
        try (NbdServer server = server(dir, TlsMode.REQUIRED)) {
            try (RawNbdClient client = new RawNbdClient(server.start().getPort())) {
                client.handshake(C_FLAGS);
                client.sendOption(NbdOption.EXPORT_NAME, "secure".getBytes());
                assertTrue(client.closedByServer());
            }
        }
    }

    @Test
    void shouldCloseOnGarbageInsteadOfATlsHandshakeAndServeOthers(@TempDir Path dir) throws Exception {
        try (NbdServer server = server(dir, TlsMode.OPTIONAL)) {
            int port = server.start().getPort();
            try (RawNbdClient client = new RawNbdClient(port)) {
                client.handshake(C_FLAGS);
                client.sendOption(NbdOption.STARTTLS, new byte[0]);
                assertEquals(NbdOptionReply.ACK, client.readReply().replyType());
                client.sendRaw(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
                assertTrue(client.closedByServer());
            }
            try (RawNbdClient client = new RawNbdClient(port)) {
                client.go("secure");
            }
            assertTrue(server.export().counters().snapshot().connectionsClosedForProtocolErrors() > 0);
        }
    }

    /** STARTTLS and a TLS handshake on a fresh connection; returns the TLS socket. */
    private static SSLSocket startTls(int port, SSLContext client) throws Exception {
        RawNbdClient raw = new RawNbdClient(port);
        raw.handshake(C_FLAGS);
        raw.sendOption(NbdOption.STARTTLS, new byte[0]);
        assertEquals(NbdOptionReply.ACK, raw.readReply().replyType());
        SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(raw.socket(), "127.0.0.1", port, true);
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        return tls;
    }

    @Test
    void shouldRequireAClientCertificateFromTheTrustStore(@TempDir Path dir) throws Exception {
        Path clientKeys = dir.resolve("client.p12");
        Path clientPem = dir.resolve("client.pem");
        Path trustStore = dir.resolve("trust.p12");
        TlsServers.keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=colo-b", "-validity", "2", "-storetype", "PKCS12", "-keystore", clientKeys.toString(),
                "-storepass", TlsServers.PASSWORD);
        TlsServers.keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", clientKeys.toString(),
                "-storepass", TlsServers.PASSWORD, "-file", clientPem.toString());
        TlsServers.keytool("-importcert", "-noprompt", "-alias", "client", "-file", clientPem.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", TlsServers.PASSWORD);
        NbdTlsSettings mutual = new NbdTlsSettings(keyStore, TlsServers.PASSWORD, trustStore, TlsServers.PASSWORD);
        try (NbdServer server = TlsServers.server(dir, mutual, TlsMode.REQUIRED)) {
            int port = server.start().getPort();
            try (SSLSocket tls = startTls(port, trustingClient(clientKeys))) {
                assertEquals("CN=colo-b", tls.getSession().getLocalPrincipal().getName());
                DataOutputStream out = new DataOutputStream(tls.getOutputStream());
                out.writeLong(NbdConstants.IHAVEOPT);
                out.writeInt(NbdOption.LIST.wireValue());
                out.writeInt(0);
                out.flush();
                DataInputStream in = new DataInputStream(tls.getInputStream());
                assertEquals(NbdConstants.OPTION_REPLY_MAGIC, in.readLong(), "LIST answered inside TLS");
            }
            Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> {
                try (SSLSocket tls = startTls(port, trustingClient())) {
                    // TLS 1.3: the server's refusal of the missing certificate arrives after the handshake
                    tls.getOutputStream().write(new byte[16]);
                    tls.getOutputStream().flush();
                    if (tls.getInputStream().read() < 0) {
                        throw new java.io.EOFException("closed");
                    }
                }
            });
            assertTrue(refused instanceof java.io.IOException, refused.toString());
        }
    }
}
