package dev.colo.nbd.client.interop;

import static dev.colo.nbd.client.interop.InteropChecks.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.nbd.client.NbdClient;
import dev.colo.nbd.client.NbdConnectionException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NBD_OPT_STARTTLS against {@code qemu-nbd --tls-creds}, with a CA and server certificate made by openssl. */
class QemuNbdTlsInteropTest {
    @TempDir
    Path dir;

    private void makeCertificates() throws Exception {
        String script = String.join("\n",
                "set -e",
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca-cert.pem -days 2"
                        + " -subj '/CN=colo test CA' -addext 'basicConstraints=critical,CA:TRUE'"
                        + " -addext 'keyUsage=critical,keyCertSign,cRLSign'",
                "openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj '/CN=127.0.0.1'",
                "printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature,keyEncipherment\\n"
                        + "extendedKeyUsage=serverAuth\\nsubjectAltName=IP:127.0.0.1\\n' > ext.cnf",
                "openssl x509 -req -in server.csr -CA ca-cert.pem -CAkey ca-key.pem -CAcreateserial"
                        + " -out server-cert.pem -days 2 -extfile ext.cnf");
        Process process = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "openssl failed");
    }

    private SSLContext trustingTheTestCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(dir.resolve("ca-cert.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Test
    void shouldUpgradeWithStartTlsAndRefusePlaintextToATlsOnlyServer() throws Exception {
        ServerProcess.assumeInstalled("qemu-nbd");
        ServerProcess.assumeInstalled("openssl");
        makeCertificates();
        Path file = dir.resolve("disk.raw");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(16L * 1024 * 1024);
        }
        try (ServerProcess server = ServerProcess.start("qemu-nbd", "-f", "raw", "-x", "secure", "-b", "127.0.0.1",
                "-p", "PORT", "-t", "--object", "tls-creds-x509,id=tls0,dir=" + dir + ",endpoint=server,verify-peer=off",
                "--tls-creds", "tls0", file.toString())) {
            NbdClient.Options tls = NbdClient.Options.defaults().withTls(trustingTheTestCa());
            try (NbdClient client = get(NbdClient.connect("127.0.0.1", server.port, "secure", tls))) {
                assertTrue(client.export().tls());
                assertTrue(client.export().structuredReplies());
                assertEquals(16L * 1024 * 1024, client.export().sizeBytes());
                byte[] data = InteropChecks.pattern(100_000, 3);
                get(client.write(12_345, data, true));
                assertArrayEquals(data, get(client.read(12_345, 100_000)));
                InteropChecks.pipelined(client, 64);
            }
            Throwable plaintext = InteropChecks.failure(NbdClient.connect("127.0.0.1", server.port, "secure",
                    NbdClient.Options.defaults()));
            assertInstanceOf(NbdConnectionException.class, plaintext);
            assertTrue(plaintext.getMessage().contains("ERR_TLS_REQD"), plaintext.getMessage());
        }
    }

    @Test
    void shouldFailWhenTheServerDoesNotOfferStartTls() throws Exception {
        ServerProcess.assumeInstalled("nbdkit");
        try (ServerProcess server = ServerProcess.start("nbdkit", "-f", "-i", "127.0.0.1", "-p", "PORT", "memory", "1M")) {
            Throwable refused = InteropChecks.failure(NbdClient.connect("127.0.0.1", server.port, "",
                    NbdClient.Options.defaults().withTls(SSLContext.getDefault())));
            assertInstanceOf(NbdConnectionException.class, refused);
            assertTrue(refused.getMessage().contains("STARTTLS"), refused.getMessage());
        }
    }
}
